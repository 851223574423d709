package dev.lockguard.internal.core;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The one pipeline every detector publishes through: stable ids, stacks without lockguard's own
 * frames, frames as the report writes them, and the report itself (stderr, JSON, listeners).
 */
public final class Findings {
  /** Frames of these classes are lockguard's own and are trimmed off the top of every stack. */
  private static final String INTERNAL_PACKAGE = "dev.lockguard.internal.";

  private Findings() {}

  /** Records a finding: stderr text, JSON report, listeners. Replaces one with the same id. */
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
    return String.format("%016x", hash);
  }

  private static long fnv(long hash, String text) {
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash ^ 0xff;
  }

  /** The current stack without lockguard's frames on top. */
  public static StackTraceElement[] currentStack() {
    StackTraceElement[] stack = new Throwable().getStackTrace();
    int skip = 0;
    while (skip < stack.length && isInternal(stack[skip].getClassName())) {
      skip++;
    }
    StackTraceElement[] trimmed = new StackTraceElement[stack.length - skip];
    System.arraycopy(stack, skip, trimmed, 0, trimmed.length);
    return trimmed;
  }

  /** Whether a frame of {@code className} is lockguard's own. */
  public static boolean isInternal(String className) {
    return className.startsWith(INTERNAL_PACKAGE);
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
