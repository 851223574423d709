package dev.lockguard.internal.core;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The one pipeline every detector publishes through: stable ids, report-once-or-worse ({@link
 * Ledger}), frames as the report writes them ({@link Stacks} trims them first), and the report
 * itself (stderr, JSON, listeners).
 */
public final class Findings {
  private Findings() {}

  /**
   * Records a finding: stderr text, JSON report, listeners. A finding with the id of one recorded
   * before is the same bug seen again: counted, and printed only if more severe ({@link
   * Reporter#report}).
   */
  public static void report(Violation violation) {
    Reporter.report(violation);
  }

  /**
   * Publishes the finding that {@code make} builds, unless {@code ledger} already holds {@code
   * id} at {@code severity} or worse. {@code make} runs only when the finding goes out, so that a
   * repeat costs no stack capture.
   *
   * @return whether the finding went out
   */
  public static boolean publishOnce(
      Ledger<String, ?> ledger, String id, Severity severity, Supplier<Violation> make) {
    if (!ledger.admit(id, severity, null)) {
      return false;
    }
    report(make.get());
    return true;
  }

  /** A hash of the kind and the sorted sites: the same bug gets the same id in every run. */
  public static String stableId(Violation.Kind kind, List<String> sites) {
    long hash = 0xcbf29ce484222325L;
    hash = fnv(hash, kind.name());
    for (String site : new TreeSet<>(sites)) {
      hash = fnv(hash, site);
    }
    // Not String.format: its first call loads the Formatter and the locale data, tens of
    // milliseconds in the thread that found the first violation, while it holds its locks.
    String hex = Long.toHexString(hash);
    return "0".repeat(16 - hex.length()) + hex;
  }

  private static long fnv(long hash, String text) {
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash ^ 0xff;
  }

  /** Frames as the report writes them. */
  public static List<String> frames(StackTraceElement[] stack) {
    List<String> frames = new ArrayList<>(stack.length);
    for (StackTraceElement frame : stack) {
      frames.add(frame.toString());
    }
    return frames;
  }
}
