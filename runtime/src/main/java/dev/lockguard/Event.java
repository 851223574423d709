package dev.lockguard;

import dev.lockguard.internal.latch.LatchHooks;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A one-shot signal, the counterpart of Python's {@code threading.Event}.
 *
 * <p>{@link #set()} opens the event and wakes every waiter; {@link #await()} returns at once on an
 * open event. Everything a thread did before {@code set()} happens-before whatever a thread does
 * after an {@code await} that returned because of it, and after an {@link #isSet()} that returned
 * true: the flag is written under the event's lock and is volatile.
 *
 * <p>An event is best used once. {@link #clear()} re-arms it, which is exactly what loses
 * wake-ups: a waiter that has not yet woken from the last {@code set()} may find the event closed
 * again. This class still returns such a waiter (every set bumps a generation the waiter
 * remembers), but a thread that had not begun to wait misses the set for good. For a repeating
 * signal use a {@code Condition} with a generation counter, a {@code Phaser}, or a fresh event per
 * round. Under the lockguard agent, a clear after a set is a {@code REUSED_LATCH} finding.
 *
 * <p>The event works without the agent. With it, the event tells the latch detector about each
 * set, clear and wait itself (it lives on the boot class path and is not instrumented); the
 * detector's calls do nothing when the agent is absent.
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
      LatchHooks.eventSet(this);
    } finally {
      lock.unlock();
    }
  }

  /** Closes the event again (re-arms it). Prefer a fresh event: see the class comment. */
  public void clear() {
    lock.lock();
    try {
      set = false;
      LatchHooks.eventCleared(this);
    } finally {
      lock.unlock();
    }
  }

  /** Whether the event is open now. */
  public boolean isSet() {
    return set;
  }

  /**
   * Waits until the event is set; returns at once if it is.
   *
   * @throws InterruptedException if the thread is interrupted while it waits (the event's state
   *     is unchanged)
   */
  public void await() throws InterruptedException {
    lock.lock();
    try {
      long seen = generation;
      waiters++;
      LatchHooks.eventAwaitEnter(this);
      boolean completed = false;
      try {
        while (!set && generation == seen) {
          opened.await();
        }
        completed = true;
      } finally {
        waiters--;
        LatchHooks.eventAwaitExit(this, completed);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits at most {@code timeout} for the event.
   *
   * @return true if it was set, false if the time ran out first
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    long remaining = unit.toNanos(timeout);
    lock.lock();
    try {
      long seen = generation;
      waiters++;
      LatchHooks.eventAwaitEnter(this);
      boolean completed = false;
      try {
        while (!set && generation == seen) {
          if (remaining <= 0) {
            return false;
          }
          remaining = opened.awaitNanos(remaining);
        }
        completed = true;
        return true;
      } finally {
        waiters--;
        LatchHooks.eventAwaitExit(this, completed);
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
