package dev.lockguard.internal.deadlock;

import dev.lockguard.internal.core.Faults;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Ledger;
import dev.lockguard.report.Violation;
import java.util.List;

/**
 * Turns real deadlocks into {@code DEADLOCK} reports while the application runs.
 *
 * <p>The agent starts it on a daemon thread ({@code watchdog=MILLIS}, 0 to disable) that looks for
 * deadlocks ({@link DeadlockCycles}) once per period and reports each deadlock once, and again
 * only if it turns worse (a thread that waited with a timeout now waits for good).
 */
public final class Watchdog {
  /** The deadlocks reported, by id, so that each is published once, then only if it turns worse. */
  private static final Ledger<String, Void> REPORTED = new Ledger<>();

  /**
   * Deadlocks in class initialization, which ThreadMXBean does not see; created at the first look,
   * on the watchdog's thread, not at start-up: its {@code ThreadMXBean} loads the platform
   * management beans, about 10 ms of every JVM's start (docs/performance.md, "Start-up, 30
   * November 2026").
   */
  private static final class Stalls {
    static final ClassInitStalls INSTANCE = new ClassInitStalls();
  }

  private Watchdog() {}

  /** Starts the periodic check on a daemon thread; 0 or less disables it. */
  public static void start(long periodMillis) {
    if (periodMillis <= 0) {
      return;
    }
    Thread thread = new Thread(() -> watch(periodMillis), "lockguard-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  private static void watch(long periodMillis) {
    while (true) {
      try {
        Thread.sleep(periodMillis);
        reportNew();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | LinkageError e) {
        Faults.hookFailed(e);
        return;
      }
    }
  }

  /** One look of the watchdog: reports the deadlocks present now that it did not report before. */
  static void reportNew() {
    for (DeadlockCycles.Cycle cycle : DeadlockCycles.findNow()) {
      Violation report = cycle.report();
      Findings.publishOnce(REPORTED, report.id(), report.severity(), () -> report);
    }
    for (DeadlockCycles.Cycle cycle : Stalls.INSTANCE.findNow()) {
      Violation report = cycle.report();
      Findings.publishOnce(REPORTED, report.id(), report.severity(), () -> report);
    }
  }

  /**
   * The class-initialization deadlocks the watchdog has found so far, which {@link
   * DeadlockCycles#findNow()} cannot see; public for the JUnit extension, not an API.
   */
  public static List<DeadlockCycles.Cycle> classInitDeadlocks() {
    return Stalls.INSTANCE.found();
  }

  /** Forgets the deadlocks reported so far (unit tests only). */
  public static void reset() {
    REPORTED.clear();
  }
}
