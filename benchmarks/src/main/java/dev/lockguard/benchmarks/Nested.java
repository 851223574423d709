package dev.lockguard.benchmarks;

import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Nested acquisition of {@code depth} locks, always in the same order: after the first operation
 * every edge is known, so this is the known-edge fast path.
 */
public class Nested extends FormBenchmark {
  /** How many locks are held at the innermost point. */
  @Param({"2", "3", "4"})
  public int depth;

  private ReentrantLock[] locks;

  @Setup(Level.Trial)
  public void makeLocks() {
    locks = new ReentrantLock[depth];
    for (int i = 0; i < depth; i++) {
      locks[i] = Locks.newLock("Nested.lock" + i);
    }
  }

  long work() {
    ReentrantLock[] chain = locks;
    for (int i = 0; i < chain.length; i++) {
      chain[i].lock();
    }
    long result = ++counter;
    // Release in LIFO order, as try/finally nesting would.
    for (int i = chain.length - 1; i >= 0; i--) {
      chain[i].unlock();
    }
    return result;
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
