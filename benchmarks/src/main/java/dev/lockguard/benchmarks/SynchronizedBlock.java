package dev.lockguard.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * An uncontended {@code synchronized} block. No Guava form: its detector cannot see monitors.
 */
public class SynchronizedBlock extends FormBenchmark {
  private final Object monitor = new Object();

  long work() {
    synchronized (monitor) {
      return ++counter;
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
}
