package dev.lockguard.benchmarks;

import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/** Two threads contending for one lock (on a 2-core machine, with the JMH host idle). */
@Threads(2)
public class Contended extends FormBenchmark {
  long work(Shared shared) {
    ReentrantLock lock = shared.lock;
    lock.lock();
    try {
      return ++shared.counter;
    } finally {
      lock.unlock();
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

  /** The lock both threads take. */
  @State(Scope.Benchmark)
  public static class Shared {
    ReentrantLock lock;
    long counter;

    @Setup(Level.Trial)
    public void makeLock() {
      lock = Locks.newLock("Contended.lock");
    }
  }
}
