package dev.lockguard.junit;

import dev.lockguard.report.Violation;

/**
 * What a thread's violations are attributed to: a test, or a test class outside its tests.
 *
 * <p>Threads carry their scope in {@link Attribution}'s inheritable thread-local, so a thread a
 * test starts reports into that test.
 */
abstract class Scope {

  /** Takes a violation found in {@code thread}, or hands it on if this scope has closed. */
  abstract void accept(Violation violation, Thread thread);
}
