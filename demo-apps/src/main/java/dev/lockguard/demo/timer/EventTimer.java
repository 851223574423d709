package dev.lockguard.demo.timer;

import dev.lockguard.Event;
import java.util.concurrent.TimeUnit;

/**
 * A periodic timer that signals every tick through one {@link Event}, set and then cleared again
 * for the next tick: the reuse that recipe 4 warns about. A waiter that is not back in
 * {@link #awaitTick} when the timer sets and clears the event misses that tick.
 */
final class EventTimer implements PeriodicTimer {
  private final Event tick = new Event();
  private volatile boolean stopped;

  @Override
  public void tick() {
    tick.set(); // @tick: wake the waiters
    tick.clear(); // @rearm: re-arm for the next tick; a waiter still busy misses this one
  }

  @Override
  public long awaitTick(long seen, long timeoutMs) throws InterruptedException {
    if (stopped) {
      return seen;
    }
    return tick.await(timeoutMs, TimeUnit.MILLISECONDS) ? seen + 1 : seen; // @await
  }

  @Override
  public void stop() {
    stopped = true;
  }
}
