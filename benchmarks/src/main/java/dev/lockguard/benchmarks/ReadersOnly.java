package dev.lockguard.benchmarks;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Two threads taking the same read lock, with no writer: shared, never blocking (they still
 * contend on the lock's reader count).
 */
@Threads(2)
public class ReadersOnly extends FormBenchmark {
  long work(Shared shared) {
    Lock read = shared.readWrite.readLock();
    read.lock();
    try {
      return shared.value;
    } finally {
      read.unlock();
    }
  }

  @Benchmark
  @Fork(value = Forks.COUNT, jvmArgsAppend = Forks.BARE)
  public long bare(Shared shared) {
    return work(shared);
  }

  @Benchmark
  @Fork(value = Forks.COUNT, jvmArgsAppend = {Forks.AGENT, Forks.LOCKGUARD})
  public long lockguard(Shared shared) {
    return work(shared);
  }

  @Benchmark
  @Fork(value = Forks.COUNT, jvmArgsAppend = Forks.GUAVA)
  public long guava(Shared shared) {
    return work(shared);
  }

  /** The read-write lock both threads read under. */
  @State(Scope.Benchmark)
  public static class Shared {
    ReentrantReadWriteLock readWrite;
    long value = 42;

    @Setup(Level.Trial)
    public void makeLock() {
      readWrite = Locks.newReadWriteLock("ReadersOnly.readWrite");
    }
  }
}
