package dev.lockguard.stress;

import dev.lockguard.Event;
import java.util.concurrent.TimeUnit;

/** Bounded waits for the {@link Event} tests: a broken event fails its outcome, never hangs jcstress. */
final class Waits {
  /** Far longer than any correct hand-off takes, even on a loaded machine. */
  private static final long BOUND_SECONDS = 10;

  private Waits() {}

  /** {@code event.await} with the bound; false if it ran out (or the thread was interrupted). */
  static boolean await(Event event) {
    try {
      return event.await(BOUND_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Spins until a thread waits for {@code event}; false if none did within the bound. */
  static boolean untilWaiting(Event event) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    while (event.waiters() == 0) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.onSpinWait();
    }
    return true;
  }
}
