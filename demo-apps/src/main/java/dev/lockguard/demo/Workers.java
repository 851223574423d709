package dev.lockguard.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Named threads that a demo starts and then waits for with a deadline, so that a demo that goes
 * wrong still ends: the threads are daemons, and whichever is still running at the deadline is
 * interrupted.
 */
public final class Workers {
  private final List<Thread> threads = new ArrayList<>();
  private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private volatile boolean stopping;

  /** Starts {@code body} in a daemon thread called {@code name}. */
  public void start(String name, Demo.Body body) {
    Thread thread = new Thread(() -> runRecordingFailure(body), name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private void runRecordingFailure(Demo.Body body) {
    try {
      body.run();
    } catch (InterruptedException e) {
      if (!stopping) {
        failures.add(e);
      }
    } catch (Throwable failure) {
      failures.add(failure);
    }
  }

  /**
   * Waits until every worker has ended or {@code timeout} has passed, interrupts those still
   * running then, and returns their names.
   */
  public List<String> awaitOrInterrupt(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread thread : threads) {
      TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
    }
    return interruptStragglers();
  }

  private List<String> interruptStragglers() throws InterruptedException {
    stopping = true;
    List<String> stuck = new ArrayList<>();
    for (Thread thread : threads) {
      if (thread.isAlive()) {
        stuck.add(thread.getName());
        thread.interrupt();
      }
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(1));
    }
    return stuck;
  }

  /** Rethrows the first failure of any worker (the first one recorded), if there was one. */
  public void rethrowFirstFailure() throws Exception {
    Throwable failure = failures.peek();
    if (failure instanceof Exception exception) {
      throw exception;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  /** {@link #awaitOrInterrupt}, then {@link #rethrowFirstFailure}: the usual end of a demo. */
  public List<String> finish(Duration timeout) throws Exception {
    List<String> stuck = awaitOrInterrupt(timeout);
    rethrowFirstFailure();
    return stuck;
  }
}
