package dev.lockguard.agent.lockorder;

import dev.lockguard.internal.TestSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * Methods whose hot hooks share one state local, for {@link StateLocalTests}: a loop in one
 * activation, wide locals, handlers and several exits, a lambda, and a class initializer that keeps
 * the plain hooks. Each reports what the runtime saw from inside its locks.
 */
final class StateLocalShapes {
  /** What the runtime saw from inside the class initializer's monitor. */
  static int initialized;

  static {
    synchronized (StateLocalShapes.class) {
      initialized = TestSupport.holdCount(StateLocalShapes.class);
    }
  }

  private final Object outer = new Object();
  private final Object inner = new Object();
  private final ReentrantLock lock = new ReentrantLock();

  /** Monitors and a lock nested in a loop of one activation; the most locks seen held. */
  int loop(int rounds) {
    int most = 0;
    for (int i = 0; i < rounds; i++) {
      synchronized (outer) {
        lock.lock();
        try {
          synchronized (inner) {
            most = Math.max(most, TestSupport.heldLocks());
          }
        } finally {
          lock.unlock();
        }
      }
    }
    return most;
  }

  /**
   * Wide locals (a long, a double) below the state local, a handler inside a monitor and an exit
   * from inside it: {@code base + scale + 1} normally, or {@code base + scale} when that passes
   * 100, and {@code 1 - holdCount(outer)} after a failure.
   */
  long wideLocalsAndExits(long base, double scale, boolean fail) {
    long total = base;
    synchronized (outer) {
      try {
        if (fail) {
          throw new IllegalStateException("fail");
        }
        total += (long) scale;
        if (total > 100) {
          return total;
        }
      } catch (IllegalStateException e) {
        total = -TestSupport.holdCount(outer);
      }
    }
    lock.lock();
    try {
      total += TestSupport.holdCount(lock);
    } finally {
      lock.unlock();
    }
    return total;
  }

  /** A lambda's body is a method of its own, with a state local of its own. */
  IntSupplier lambda() {
    return () -> {
      synchronized (inner) {
        return TestSupport.holdCount(inner);
      }
    };
  }
}
