package dev.lockguard.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;

/**
 * Two nested {@code synchronized} blocks, always in the same order: one known edge. No Guava
 * form: its detector cannot see monitors.
 */
public class SynchronizedNested extends FormBenchmark {
  private final Object outer = new Object();
  private final Object inner = new Object();

  long work() {
    synchronized (outer) {
      synchronized (inner) {
        return ++counter;
      }
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
