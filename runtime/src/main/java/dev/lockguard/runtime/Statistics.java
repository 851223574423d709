package dev.lockguard.runtime;

import dev.lockguard.report.Report;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Counters for the report.
 *
 * <p>Each thread counts its acquisitions in a plain field of its own (no atomic operation, no
 * shared cache line on the hook path); the sum is taken when a report is written. A thread's
 * count is kept in a small holder that outlives the thread's state, so that the counts of threads
 * that ended are folded into {@link #retired} and not lost.
 */
final class Statistics {
  /** One thread's acquisition count; written only by its thread, read racily for reports. */
  static final class Counter {
    long acquisitions;
  }

  private static final class Entry {
    final WeakReference<Thread> thread;
    final Counter counter;

    Entry(Thread thread, Counter counter) {
      this.thread = new WeakReference<>(thread);
      this.counter = counter;
    }
  }

  private static final Object LOCK = new Object();
  private static final List<Entry> COUNTERS = new ArrayList<>();
  private static long retired;
  private static int registeredSincePrune;

  private Statistics() {}

  /** Gives a new thread its counter; called once per thread, when its state is made. */
  static Counter register(Thread thread) {
    Counter counter = new Counter();
    synchronized (LOCK) {
      if (++registeredSincePrune > 1024) {
        registeredSincePrune = 0;
        pruneEndedThreads();
      }
      COUNTERS.add(new Entry(thread, counter));
    }
    return counter;
  }

  static long acquisitions() {
    synchronized (LOCK) {
      pruneEndedThreads();
      long sum = retired;
      for (Entry entry : COUNTERS) {
        sum += entry.counter.acquisitions;
      }
      return sum;
    }
  }

  private static void pruneEndedThreads() {
    COUNTERS.removeIf(entry -> {
      Thread thread = entry.thread.get();
      if (thread == null || thread.getState() == Thread.State.TERMINATED) {
        retired += entry.counter.acquisitions;
        return true;
      }
      return false;
    });
  }

  static Report.Stats snapshot() {
    return new Report.Stats(LockGraph.locksSeen(), LockGraph.edgeCount(), acquisitions(),
        LatchTable.seen());
  }
}
