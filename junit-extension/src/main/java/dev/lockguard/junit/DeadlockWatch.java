package dev.lockguard.junit;

import dev.lockguard.report.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;

/**
 * Runs a test method in a thread of its own so that a test stuck in a real deadlock can be failed
 * and left behind instead of hanging the build.
 *
 * <p>JUnit's thread waits for the test. Once the deadlock timeout has passed it looks, every
 * second, for a deadlock among the test's threads: its own thread, the threads that reported a
 * violation in it, or threads started after it. If it finds one it records the {@code DEADLOCK}
 * report in the test, interrupts the stuck thread (which helps only if it waits interruptibly)
 * and returns, and {@code afterEach} fails the test. A test that is slow but not deadlocked is
 * left to run. An interrupt of JUnit's thread (JUnit's own {@code @Timeout}) is passed on to the
 * test's thread. The test's thread is a daemon, and so are the threads it starts unless they say
 * otherwise: threads left stuck in a deadlock must not keep the JVM from exiting.
 *
 * <p>Under parallel execution, when two tests are stuck at once, a deadlock among threads that
 * neither test's own thread takes part in may be given to both: threads carry no record of who
 * started them that another thread could read.
 */
final class DeadlockWatch {
  private static final long RECHECK_MILLIS = 1000;

  private DeadlockWatch() {}

  /** Proceeds with {@code invocation} under the deadlock timeout; zero runs it in this thread. */
  static <T> T proceed(Invocation<T> invocation, TestScope scope, Duration timeout)
      throws Throwable {
    if (timeout.isZero()) {
      return invocation.proceed();
    }
    Outcome<T> outcome = new Outcome<>();
    Thread body = new Thread(() -> {
      Attribution.enter(scope);
      outcome.run(invocation);
    }, "lockguard-test " + scope.testName());
    body.setDaemon(true);
    scope.addThread(body);
    body.start();
    if (waitFor(outcome, body, timeout.toMillis())) {
      return outcome.result();
    }
    while (true) {
      List<Violation> deadlocks = Deadlocks.claim(ids -> ownedBy(ids, scope, body));
      if (!deadlocks.isEmpty()) {
        scope.abandon(deadlocks, "this test was still running after "
            + Configuration.format(timeout) + ", stuck in a deadlock (below). lockguard failed"
            + " it and left its thread \"" + body.getName() + "\" behind, blocked, so that the"
            + " build goes on.");
        body.interrupt();
        return null;
      }
      if (waitFor(outcome, body, RECHECK_MILLIS)) {
        return outcome.result();
      }
    }
  }

  /**
   * Whether a deadlock's threads are the test's: one of them is known to the test, or all were
   * started after the test's thread (thread ids only grow).
   */
  private static boolean ownedBy(Set<Long> ids, TestScope scope, Thread body) {
    if (Deadlocks.intersects(ids, scope.threads())) {
      return true;
    }
    for (long id : ids) {
      if (id < body.getId()) {
        return false;
      }
    }
    return true;
  }

  /** Waits for the test to end; true if it did. Interrupts are passed on to the test. */
  private static boolean waitFor(Outcome<?> outcome, Thread body, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (true) {
      try {
        return outcome.done.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        body.interrupt();
      }
    }
  }

  /** What the test's thread produced: a result or a throwable. */
  private static final class Outcome<T> {
    final CountDownLatch done = new CountDownLatch(1);
    private volatile T result;
    private volatile Throwable failure;

    void run(Invocation<T> invocation) {
      try {
        result = invocation.proceed();
      } catch (Throwable t) {
        failure = t;
      } finally {
        done.countDown();
      }
    }

    T result() throws Throwable {
      if (failure != null) {
        throw failure;
      }
      return result;
    }
  }
}
