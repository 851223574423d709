package dev.lockguard.runtime;

import dev.lockguard.report.Violation;
import java.util.List;

/**
 * What every detector needs to publish a finding: report it, give it a stable id, and capture
 * the stack without lockguard's own frames. Detectors other than lock order live beside this
 * class and use it, so that all findings go through one report.
 */
public final class Findings {
  private Findings() {}

  /** Records a finding: stderr text, JSON report, listeners. Replaces one with the same id. */
  public static void report(Violation violation) {
    Reporter.report(violation);
  }

  /** A hash of the kind and the sorted sites: the same bug gets the same id in every run. */
  public static String stableId(Violation.Kind kind, List<String> sites) {
    return Detector.stableId(kind, sites);
  }

  /** The current stack without lockguard's frames on top. */
  public static StackTraceElement[] currentStack() {
    return Detector.currentStack();
  }

  /** Frames as the report writes them. */
  public static List<String> frames(StackTraceElement[] stack) {
    return Detector.frames(stack);
  }

  /** The frame of a registered site, as the report writes it. */
  public static String siteFrame(int siteId) {
    return Sites.get(siteId).toString();
  }

  /**
   * Runs {@code action} under the calling thread's re-entry guard; returns false (and does
   * nothing) when the thread is already inside a lockguard hook.
   */
  public static boolean guarded(Runnable action) {
    ThreadState ts = ThreadState.current();
    if (ts.busy) {
      return false;
    }
    ts.busy = true;
    try {
      action.run();
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
    } finally {
      ts.busy = false;
    }
    return true;
  }

  /** Reports an internal failure of a hook once, on stderr; the application carries on. */
  public static void hookFailed(Throwable failure) {
    Faults.hookFailed(failure);
  }
}
