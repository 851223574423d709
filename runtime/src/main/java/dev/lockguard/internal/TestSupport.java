package dev.lockguard.internal;

import dev.lockguard.internal.classinit.ClassInitHooks;
import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.PerThread;
import dev.lockguard.internal.core.Reporter;
import dev.lockguard.internal.deadlock.Watchdog;
import dev.lockguard.internal.latch.LatchDetector;
import dev.lockguard.internal.lockorder.LockOrderDetector;
import dev.lockguard.internal.queue.QueueHooks;

/**
 * Entry points for lockguard's own tests (the {@code stress} module and the runtime's unit
 * tests): not an API, and free to change without notice.
 *
 * <p>They read state that the public API does not show (a thread's held locks, one edge of the
 * graph, how often one violation was recorded), keep runs of millions of iterations bounded (no
 * stderr text, recorded violations dropped once checked) and let a unit test start from nothing.
 * None of them is a hook: they may allocate, and they take the runtime's own locks.
 */
public final class TestSupport {
  private TestSupport() {}

  /**
   * Forgets everything the runtime has seen: findings and listeners, locks, latches, queues,
   * reported deadlocks, the configuration (back to no agent) and the calling thread's state. Call
   * it between unit tests, from a thread that holds no lock; other threads keep their own state.
   */
  public static void reset() {
    Config.reset();
    LockNames.reset();
    Reporter.reset();
    LockOrderDetector.reset();
    LatchDetector.reset();
    QueueHooks.reset();
    ClassInitHooks.reset();
    Watchdog.reset();
    PerThread.forgetCurrent();
  }

  /** Stops printing findings on stderr; they are still recorded and passed to listeners. */
  public static void quiet() {
    Config.replace(Config.current().quietly());
  }

  /** How many times the calling thread holds {@code lock} (its re-entry count), or 0. */
  public static int holdCount(Object lock) {
    return LockOrderDetector.holdCount(lock);
  }

  /** How many distinct locks the calling thread holds now. */
  public static int heldLocks() {
    return LockOrderDetector.heldLocks();
  }

  /** Whether the graph has the edge {@code from -> to}, both taken exclusively. */
  public static boolean hasEdge(Object from, Object to) {
    return LockOrderDetector.hasEdge(from, to);
  }

  /** How many recorded violations have this id: 1 once recorded, 0 if lost or forgotten. */
  public static int recordedCount(String id) {
    return Reporter.count(id);
  }

  /** Drops the recorded violations with this id, so that a long stress run stays small. */
  public static void forget(String id) {
    Reporter.forget(id);
  }
}
