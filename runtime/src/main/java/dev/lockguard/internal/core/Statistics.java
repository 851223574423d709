package dev.lockguard.internal.core;


import dev.lockguard.report.Report;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Counters for the report.
 *
 * <p>Each thread counts its acquisitions in a plain field of its own (no atomic operation, no
 * shared cache line on the hook path); the sum is taken when a report is written. A thread's
 * count is kept in a small holder that outlives the thread's state, so that the counts of threads
 * that ended are folded into {@link #retired} and not lost.
 */
public final class Statistics {
  /** One thread's acquisition count; written only by its thread, read racily for reports. */
  public static final class Counter {
    public long acquisitions;
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
  public static Counter register(Thread thread) {
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

  /** A counter that a detector contributes to the report. */
  public enum Stat {
    LOCKS_SEEN,
    EDGES,
    LATCHES
  }

  private static final LongSupplier[] SOURCES = new LongSupplier[Stat.values().length];

  /** Lets a detector report {@code stat}; called once by the runtime's start. */
  public static void contribute(Stat stat, LongSupplier source) {
    synchronized (LOCK) {
      SOURCES[stat.ordinal()] = source;
    }
  }

  private static long read(Stat stat) {
    LongSupplier source;
    synchronized (LOCK) {
      source = SOURCES[stat.ordinal()];
    }
    return source == null ? 0 : source.getAsLong();
  }

  static Report.Stats snapshot() {
    return new Report.Stats(read(Stat.LOCKS_SEEN), read(Stat.EDGES), acquisitions(),
        read(Stat.LATCHES));
  }
}
