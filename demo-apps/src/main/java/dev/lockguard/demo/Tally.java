package dev.lockguard.demo;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what a demo's threads did, behind this object's monitor.
 *
 * <p>Every demo keeps its score here, so even the fixed variants take a lock the agent sees (the
 * end-to-end tests check that instrumentation was applied by the acquisitions it counted).
 */
public final class Tally {
  private final Map<String, Long> counts = new TreeMap<>();

  /** Adds {@code amount} to the count called {@code what}. */
  public synchronized void add(String what, long amount) {
    counts.merge(what, amount, Long::sum);
    notifyAll();
  }

  /**
   * Waits at most {@code timeout} until the count called {@code what} reaches {@code count}.
   *
   * @return whether it did
   */
  public synchronized boolean awaitAtLeast(String what, long count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long left = timeout.toMillis(); get(what) < count; left = (deadline - System.nanoTime()) / 1_000_000) {
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** Adds one to the count called {@code what}. */
  public void increment(String what) {
    add(what, 1);
  }

  /** The count called {@code what} (0 if nothing was added). */
  public synchronized long get(String what) {
    return counts.getOrDefault(what, 0L);
  }

  /** {@code name=count} pairs in name order, for the demo's closing log line. */
  @Override
  public synchronized String toString() {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(entry.getKey()).append('=').append(entry.getValue());
    }
    return text.toString();
  }
}
