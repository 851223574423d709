package dev.lockguard;

import dev.lockguard.internal.lockorder.Ranks;
import java.util.concurrent.locks.Lock;

/**
 * Takes several locks in ascending rank and releases them in reverse, the recipe's
 * {@code acquire(*locks)} helper:
 *
 * <pre>{@code
 * try (OrderedLocks.Held held = OrderedLocks.acquire(left, right)) {
 *   eat();
 * }
 * }</pre>
 *
 * <p>A nested call in the same thread is checked against the locks the thread already holds
 * through lockguard: if any of them is ranked at or above the smallest new one, it throws
 * {@link LockOrderViolationException} before taking anything. Works without the agent too.
 */
public final class OrderedLocks {
  private OrderedLocks() {}

  /** The locks taken by one {@link #acquire} call; {@link #close()} releases them in reverse. */
  public static final class Held implements AutoCloseable {
    private final Lock[] locks;
    private boolean closed;

    private Held(Lock[] locks) {
      this.locks = locks;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (int i = locks.length - 1; i >= 0; i--) {
        Ranks.unlock(locks[i]);
      }
    }
  }

  /**
   * Sorts {@code locks} by rank, checks them against the locks this thread holds, and takes them.
   *
   * @throws LockOrderViolationException if a held lock ranks at or above one of them
   */
  public static Held acquire(Lock... locks) {
    Lock[] sorted = locks.clone();
    for (Lock lock : sorted) {
      if (lock == null) {
        throw new NullPointerException("OrderedLocks.acquire: lock is null");
      }
    }
    Ranks.sortByRank(sorted);
    if (sorted.length > 0) {
      String violation = Ranks.checkAboveHeld(sorted[0]);
      if (violation != null) {
        throw new LockOrderViolationException(violation);
      }
    }
    int taken = 0;
    try {
      for (Lock lock : sorted) {
        Ranks.lock(lock);
        taken++;
      }
    } finally {
      if (taken < sorted.length) {
        for (int i = taken - 1; i >= 0; i--) {
          Ranks.unlock(sorted[i]);
        }
      }
    }
    return new Held(sorted);
  }
}
