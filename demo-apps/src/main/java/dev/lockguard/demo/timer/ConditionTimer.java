package dev.lockguard.demo.timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A periodic timer that signals ticks the way recipe 4 recommends: it bumps a counter under a
 * lock and signals a {@link Condition}; each waiter remembers the count it saw and waits until
 * the count moves. A waiter that was busy during a tick finds the count moved when it comes back,
 * so no tick is lost.
 */
final class ConditionTimer implements PeriodicTimer {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ticked = lock.newCondition();
  private long ticks;
  private boolean stopped;

  @Override
  public void tick() {
    lock.lock();
    try {
      ticks++;
      ticked.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long awaitTick(long seen, long timeoutMs) throws InterruptedException {
    lock.lock();
    try {
      long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
      while (ticks == seen && !stopped && remaining > 0) {
        remaining = ticked.awaitNanos(remaining);
      }
      return ticks;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void stop() {
    lock.lock();
    try {
      stopped = true;
      ticked.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
