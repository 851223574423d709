package dev.lockguard.internal;

import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Reporter;
import dev.lockguard.internal.lockorder.LockOrderDetector;


/**
 * Entry points for lockguard's own stress tests (the {@code stress} module): not an API, and free
 * to change without notice.
 *
 * <p>They read state that the public API does not show (a thread's held locks, one edge of the
 * graph, how often one violation was recorded) and keep runs of millions of iterations bounded
 * (no stderr text, recorded violations dropped once checked). None of them is a hook: they may
 * allocate, and they take the runtime's own locks.
 */
public final class TestSupport {
  private TestSupport() {}

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

  /** How many recorded violations have this id: 1 once recorded, 0 if lost, 2 or more if doubled. */
  public static int recordedCount(String id) {
    return Reporter.count(id);
  }

  /** Drops the recorded violations with this id, so that a long stress run stays small. */
  public static void forget(String id) {
    Reporter.forget(id);
  }
}
