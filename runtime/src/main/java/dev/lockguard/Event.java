package dev.lockguard;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A one-shot signal, the counterpart of Python's {@code threading.Event}.
 *
 * <p>{@link #set()} opens the event and wakes every waiter; {@link #await()} returns at once on an
 * open event. Everything a thread did before {@code set()} happens-before whatever a thread does
 * after an {@code await} that returned because of it.
 *
 * <p>An event is best used once. {@link #clear()} re-arms it, which is exactly what loses
 * wake-ups: a waiter that has not yet woken from the last {@code set()} may find the event closed
 * again. For a repeating signal use a {@code Condition} with a generation counter, a
 * {@code Phaser}, or a fresh event per round.
 */
public class Event {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition opened = lock.newCondition();
  /** Guarded by {@link #lock}; volatile so that {@link #isSet()} needs no lock. */
  private volatile boolean set;
  /** Bumped by every {@link #set()}, so a waiter woken by a set that was cleared still returns. */
  private long generation;
  private int waiters;

  /** Opens the event and wakes every thread waiting for it. */
  public void set() {
    lock.lock();
    try {
      set = true;
      generation++;
      opened.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Closes the event again (re-arms it). Prefer a fresh event: see the class comment. */
  public void clear() {
    lock.lock();
    try {
      set = false;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the event is open now. */
  public boolean isSet() {
    return set;
  }

  /** Waits until the event is set; returns at once if it is. */
  public void await() throws InterruptedException {
    lock.lock();
    try {
      long seen = generation;
      waiters++;
      try {
        while (!set && generation == seen) {
          opened.await();
        }
      } finally {
        waiters--;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits at most {@code timeout} for the event.
   *
   * @return true if it was set, false if the time ran out first
   */
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    long remaining = unit.toNanos(timeout);
    lock.lock();
    try {
      long seen = generation;
      waiters++;
      try {
        while (!set && generation == seen) {
          if (remaining <= 0) {
            return false;
          }
          remaining = opened.awaitNanos(remaining);
        }
        return true;
      } finally {
        waiters--;
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many threads wait for the event now (for diagnostics). */
  public int waiters() {
    lock.lock();
    try {
      return waiters;
    } finally {
      lock.unlock();
    }
  }
}
