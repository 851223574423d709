package dev.lockguard.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The lock workloads plus those on monitors ({@code synchronized}), which Guava's detector
 * cannot see and so only the bare JVM and the agent run.
 */
public abstract class JdkWorkloads extends LockWorkloads {
  private Object monitor;
  private Object outerMonitor;
  private long monitorCounter;

  /** Makes this thread's monitors. */
  @Setup(Level.Trial)
  public void makeMonitors() {
    monitor = new Object();
    outerMonitor = new Object();
  }

  /** An uncontended {@code synchronized} block. */
  @Benchmark
  public long synchronizedBlock() {
    synchronized (monitor) {
      return ++monitorCounter;
    }
  }

  /** Two nested {@code synchronized} blocks, always in the same order: one known edge. */
  @Benchmark
  public long synchronizedNested() {
    synchronized (outerMonitor) {
      synchronized (monitor) {
        return ++monitorCounter;
      }
    }
  }
}
