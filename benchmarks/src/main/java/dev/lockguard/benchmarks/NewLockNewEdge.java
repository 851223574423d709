package dev.lockguard.benchmarks;

import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A new lock on every operation, acquired while holding a long-lived lock: every operation adds
 * a new edge, the slow path (cycle search plus stack capture) in both detectors.
 */
public class NewLockNewEdge extends FormBenchmark {
  private ReentrantLock outer;

  @Setup(Level.Trial)
  public void makeLock() {
    outer = Locks.newLock("NewLockNewEdge.outer");
  }

  long work(Blackhole blackhole) {
    outer.lock();
    try {
      ReentrantLock fresh = Locks.newLock("NewLockNewEdge.fresh");
      blackhole.consume(fresh);
      fresh.lock();
      try {
        return ++counter;
      } finally {
        fresh.unlock();
      }
    } finally {
      outer.unlock();
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
