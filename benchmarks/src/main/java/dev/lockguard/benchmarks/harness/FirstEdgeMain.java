package dev.lockguard.benchmarks.harness;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The child program of {@link FirstEdgeHarness}: how long the acquiring thread spends in one
 * {@code lock()} call that the agent sees for the first time, measured inside the thread that
 * holds the outer lock, as a reaper or housekeeper that other threads wait for would.
 *
 * <p>Prints one line: {@code first-edge knownNs=… newEdgeUs=p50,p99,max firstCycleUs=…
 * repeatCycleUs=p50,max}. A new edge is a fresh pair of locks taken nested (stack capture, graph
 * update, cycle search); the first cycle is the acquisition that closes the JVM's first
 * lock-order cycle, so its finding is recorded, printed and written; a repeat closes a cycle
 * over other instances through the same code (counted, not printed again).
 */
public final class FirstEdgeMain {
  private static final int NEW_EDGES = 2_000;
  private static final int KNOWN = 20_000;
  private static final int REPEATS = 200;

  private FirstEdgeMain() {}

  public static void main(String[] args) {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    long[] known = new long[KNOWN];
    for (int i = 0; i < KNOWN; i++) {
      known[i] = nested(a, b);
    }
    long[] newEdge = new long[NEW_EDGES];
    for (int i = 0; i < NEW_EDGES; i++) {
      newEdge[i] = nested(new ReentrantLock(), new ReentrantLock());
    }
    long[] cycles = new long[REPEATS + 1];
    for (int i = 0; i < cycles.length; i++) {
      ReentrantLock x = new ReentrantLock();
      ReentrantLock y = new ReentrantLock();
      nested(x, y);
      cycles[i] = nested(y, x);
    }
    long first = cycles[0];
    long[] repeats = Arrays.copyOfRange(cycles, 1, cycles.length);
    Arrays.sort(known);
    Arrays.sort(newEdge);
    Arrays.sort(repeats);
    System.out.printf(Locale.ROOT,
        "first-edge knownNs=%d newEdgeUs=%.1f,%.1f,%.1f firstCycleUs=%.1f repeatCycleUs=%.1f,%.1f%n",
        known[KNOWN / 2], micros(newEdge[NEW_EDGES / 2]), micros(newEdge[NEW_EDGES * 99 / 100]),
        micros(newEdge[NEW_EDGES - 1]), micros(first), micros(repeats[REPEATS / 2]),
        micros(repeats[REPEATS - 1]));
  }

  /** Takes {@code inner} under {@code outer}; returns the nanoseconds of the inner lock call. */
  private static long nested(ReentrantLock outer, ReentrantLock inner) {
    outer.lock();
    try {
      long start = System.nanoTime();
      inner.lock();
      long took = System.nanoTime() - start;
      inner.unlock();
      return took;
    } finally {
      outer.unlock();
    }
  }

  private static double micros(long nanos) {
    return nanos / 1_000.0;
  }
}
