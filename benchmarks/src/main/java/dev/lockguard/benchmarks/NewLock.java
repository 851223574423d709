package dev.lockguard.benchmarks;

import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A new lock on every operation, acquired while holding nothing: millions of distinct locks per
 * run, each seen once and then garbage. Measures the first-sight cost of a lock.
 */
public class NewLock extends FormBenchmark {
  long work(Blackhole blackhole) {
    ReentrantLock fresh = Locks.newLock("NewLock.fresh");
    // Let it escape, as a real lock does: else the JIT may scalar-replace the bare form's lock.
    blackhole.consume(fresh);
    fresh.lock();
    try {
      return ++counter;
    } finally {
      fresh.unlock();
    }
  }

  @Benchmark
  @Fork(value = Forks.COUNT, jvmArgsAppend = Forks.BARE)
  public long bare(Blackhole blackhole) {
    return work(blackhole);
  }

  @Benchmark
  @Fork(value = Forks.COUNT, jvmArgsAppend = {Forks.AGENT, Forks.LOCKGUARD})
  public long lockguard(Blackhole blackhole) {
    return work(blackhole);
  }

  @Benchmark
  @Fork(value = Forks.COUNT, jvmArgsAppend = Forks.GUAVA)
  public long guava(Blackhole blackhole) {
    return work(blackhole);
  }
}
