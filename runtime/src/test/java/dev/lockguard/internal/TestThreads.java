package dev.lockguard.internal;

import java.util.concurrent.TimeUnit;

/** Threads for the runtime's unit tests, with every wait bounded so that a test cannot hang. */
public final class TestThreads {
  private static final long BOUND_MILLIS = 10_000;

  private TestThreads() {}

  /** A body that may throw, as the code under test does. */
  public interface Body {
    void run() throws Exception;
  }

  /**
   * Starts {@code body} in a daemon thread named {@code name}; a failure is printed. An interrupt
   * is how a test ends a thread that waits for ever, so it ends the body quietly.
   */
  public static Thread start(String name, Body body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        System.err.println(name + " failed: " + e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Waits until {@code thread} blocks or waits (parked on a lock, a latch or a monitor). */
  public static void awaitBlocked(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
    while (true) {
      Thread.State state = thread.getState();
      if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
          || state == Thread.State.BLOCKED) {
        return;
      }
      if (System.nanoTime() > deadline || state == Thread.State.TERMINATED) {
        throw new IllegalStateException(thread.getName() + " did not block: " + state);
      }
      Thread.sleep(1);
    }
  }

  /** Waits for each thread to end. */
  public static void join(Thread... threads) throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(BOUND_MILLIS);
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not finish");
      }
    }
  }
}
