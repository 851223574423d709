package dev.lockguard.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The workloads on {@code java.util.concurrent} locks, which all three forms run.
 *
 * <p>Each critical section increments a counter, so that no section is empty and all forms do
 * the same work inside the lock. Locks come from {@link Locks}, so a subclass only picks the
 * form (by its {@code @Fork} arguments); the bytecode measured is this class's in every form.
 *
 * <p>The iteration settings here are the full run's; {@code run.sh --quick} overrides them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class LockWorkloads {
  private ReentrantLock lock;
  private long counter;

  /** Checks the fork runs the form it claims, then makes this thread's lock. */
  @Setup(Level.Trial)
  public void checkFormAndMakeLock() {
    Attachment.verify(Locks.FORM);
    lock = Locks.newLock("LockWorkloads.lock");
  }

  /** Under the agent, checks that the workload was instrumented (the runtime saw it). */
  @TearDown(Level.Trial)
  public void checkInstrumented() {
    Attachment.verifyInstrumented(Locks.FORM);
  }

  /** An uncontended lock plus unlock of one long-lived lock, holding nothing else (no edge). */
  @Benchmark
  public long uncontendedLock() {
    lock.lock();
    try {
      return ++counter;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Nested acquisition of {@code depth} locks, always in the same order: after the first
   * operation every edge is known, so this is the known-edge fast path.
   */
  @Benchmark
  public long nested(Chain chain) {
    ReentrantLock[] locks = chain.locks;
    for (int i = 0; i < locks.length; i++) {
      locks[i].lock();
    }
    long result = ++counter;
    // Release in LIFO order, as try/finally nesting would.
    for (int i = locks.length - 1; i >= 0; i--) {
      locks[i].unlock();
    }
    return result;
  }

  /**
   * A new lock on every operation, acquired while holding nothing: millions of distinct locks
   * per run, each seen once and then garbage. Measures the first-sight cost of a lock.
   */
  @Benchmark
  public long newLock(Blackhole blackhole) {
    ReentrantLock fresh = Locks.newLock("LockWorkloads.fresh");
    // Let it escape, as a real lock does: else the JIT may scalar-replace the bare form's lock.
    blackhole.consume(fresh);
    fresh.lock();
    try {
      return ++counter;
    } finally {
      fresh.unlock();
    }
  }

  /**
   * A new lock on every operation, acquired while holding the long-lived lock: every operation
   * adds a new edge, the slow path (cycle search plus stack capture) in both detectors.
   */
  @Benchmark
  public long newLockNewEdge(Blackhole blackhole) {
    lock.lock();
    try {
      ReentrantLock fresh = Locks.newLock("LockWorkloads.fresh");
      blackhole.consume(fresh);
      fresh.lock();
      try {
        return ++counter;
      } finally {
        fresh.unlock();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Two threads contending for one lock. */
  @Benchmark
  @Threads(2)
  public long contended(Shared shared) {
    Lock exclusive = shared.lock;
    exclusive.lock();
    try {
      return ++shared.counter;
    } finally {
      exclusive.unlock();
    }
  }

  /** Two threads taking the same read lock, with no writer: shared, never blocking. */
  @Benchmark
  @Threads(2)
  public long readersOnly(Shared shared) {
    Lock read = shared.readWrite.readLock();
    read.lock();
    try {
      return shared.value;
    } finally {
      read.unlock();
    }
  }

  /** A thread's chain of locks for {@link #nested}. */
  @State(Scope.Thread)
  public static class Chain {
    /** How many locks are held at the innermost point. */
    @Param({"2", "3", "4"})
    public int depth;

    ReentrantLock[] locks;

    /** Makes the chain. */
    @Setup(Level.Trial)
    public void makeLocks() {
      locks = new ReentrantLock[depth];
      for (int i = 0; i < depth; i++) {
        locks[i] = Locks.newLock("Chain.lock" + i);
      }
    }
  }

  /** The locks the threads of one benchmark share. */
  @State(Scope.Benchmark)
  public static class Shared {
    ReentrantLock lock;
    ReentrantReadWriteLock readWrite;
    long counter;
    long value = 42;

    /** Makes the shared locks. */
    @Setup(Level.Trial)
    public void makeLocks() {
      lock = Locks.newLock("Shared.lock");
      readWrite = Locks.newReadWriteLock("Shared.readWrite");
    }
  }
}
