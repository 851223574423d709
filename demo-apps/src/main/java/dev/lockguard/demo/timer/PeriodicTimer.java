package dev.lockguard.demo.timer;

/** A timer thread's ticks as waiting threads see them. */
interface PeriodicTimer {
  /** Signals one tick to every waiter (called by the timer thread). */
  void tick();

  /**
   * Waits at most {@code timeoutMs} for a tick after the {@code seen} ones.
   *
   * @return the number of ticks this waiter has now seen ({@code seen} if none came in time or
   *     the timer stopped)
   */
  long awaitTick(long seen, long timeoutMs) throws InterruptedException;

  /** Ends the ticking; waiters stop waiting. */
  void stop();
}
