package dev.lockguard.benchmarks.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The child program of {@link HotLoopsHarness}: hot loops of lock and unlock, timed in the
 * thread's CPU time rather than wall time, so that a loaded machine that takes the core away now
 * and then does not count. Prints one line per loop: {@code measure NAME-ns NS_PER_OP}, the best
 * of several measurements after a warm-up.
 */
public final class HotLoopsMain {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final ReentrantLock[] LOCKS = {
      new ReentrantLock(), new ReentrantLock(), new ReentrantLock(), new ReentrantLock()};
  private static final Object[] MONITORS = {new Object(), new Object()};
  private static long counter;

  private HotLoopsMain() {}

  public static void main(String[] args) {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    measure("lock", ops, HotLoopsMain::oneLock);
    measure("monitor", ops, HotLoopsMain::oneMonitor);
    measure("nested2", ops, n -> nested(n, 2));
    measure("nested4", ops, n -> nested(n, 4));
    measure("monitors2", ops, HotLoopsMain::nestedMonitors);
    if (counter == 42) {
      System.out.println(); // keeps the counter alive
    }
  }

  private interface Loop {
    void run(int ops);
  }

  private static void measure(String name, int ops, Loop loop) {
    for (int i = 0; i < 5; i++) {
      loop.run(ops); // warm-up: compiled by C2 before the measurements
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 7; i++) {
      long start = THREADS.getCurrentThreadCpuTime();
      loop.run(ops);
      best = Math.min(best, THREADS.getCurrentThreadCpuTime() - start);
    }
    System.out.printf(Locale.ROOT, "measure %s-ns %.2f%n", name, (double) best / ops);
  }

  private static void oneLock(int ops) {
    ReentrantLock lock = LOCKS[0];
    for (int i = 0; i < ops; i++) {
      lock.lock();
      try {
        counter++;
      } finally {
        lock.unlock();
      }
    }
  }

  private static void oneMonitor(int ops) {
    Object monitor = MONITORS[0];
    for (int i = 0; i < ops; i++) {
      synchronized (monitor) {
        counter++;
      }
    }
  }

  private static void nested(int ops, int depth) {
    for (int i = 0; i < ops; i++) {
      for (int d = 0; d < depth; d++) {
        LOCKS[d].lock();
      }
      counter++;
      for (int d = depth - 1; d >= 0; d--) {
        LOCKS[d].unlock();
      }
    }
  }

  private static void nestedMonitors(int ops) {
    Object outer = MONITORS[0];
    Object inner = MONITORS[1];
    for (int i = 0; i < ops; i++) {
      synchronized (outer) {
        synchronized (inner) {
          counter++;
        }
      }
    }
  }
}
