package dev.lockguard.junit;

/**
 * How sure and how bad a finding is, worst first, by the names the JSON report uses.
 *
 * <p>The extension's own copy of the runtime's {@code Violation.Severity}, for annotations.
 */
public enum Severity {
  /** Can deadlock or corrupt state, for example a lock-order cycle taken by two threads. */
  ERROR,
  /** Would fail with a second thread, for example a cycle seen in one thread only. */
  WARNING,
  /** Cannot fail as the code stands, for example a cycle behind a common gate lock. */
  INFO;

  /** Whether this severity is {@code threshold} or worse. */
  boolean atLeast(Severity threshold) {
    return ordinal() <= threshold.ordinal();
  }
}
