package dev.lockguard.benchmarks;

import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/** An uncontended lock plus unlock of one long-lived lock, holding nothing else (no edge). */
public class UncontendedLock extends FormBenchmark {
  private ReentrantLock lock;

  @Setup(Level.Trial)
  public void makeLock() {
    lock = Locks.newLock("UncontendedLock.lock");
  }

  long work() {
    lock.lock();
    try {
      return ++counter;
    } finally {
      lock.unlock();
    }
  }

  @Benchmark
  @Fork(value = Forks.COUNT, jvmArgsAppend = Forks.BARE)
  public long bare() {
    return work();
  }

  @Benchmark
  @Fork(value = Forks.COUNT, jvmArgsAppend = {Forks.AGENT, Forks.LOCKGUARD})
  public long lockguard() {
    return work();
  }

  @Benchmark
  @Fork(value = Forks.COUNT, jvmArgsAppend = Forks.GUAVA)
  public long guava() {
    return work();
  }
}
