package dev.lockguard.internal.deadlock;

import static dev.lockguard.internal.TestThreads.awaitBlocked;
import static dev.lockguard.internal.TestThreads.join;
import static dev.lockguard.internal.TestThreads.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lockguard.internal.FreshRuntime;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watchdog and the deadlock walk it shares with the JUnit extension, on real deadlocks
 * between two threads of this JVM.
 *
 * <p>A deadlock on {@code ReentrantLock}s is undone at the end of its test by interrupting the
 * threads, which wait interruptibly. A deadlock on monitors cannot be undone: its two daemon
 * threads stay blocked until the JVM exits, so that test runs last and the others run first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchdogTests {
  private static final String SYNC = "java.util.concurrent.locks.ReentrantLock";

  @RegisterExtension final FreshRuntime runtime = new FreshRuntime();

  @Test
  @Order(1)
  void withoutADeadlockTheWatchdogIsSilent() throws Exception {
    ReentrantLock upper = new ReentrantLock();
    ReentrantLock lower = new ReentrantLock();
    Thread holder = start("holder", () -> {
      upper.lock();
      try {
        lower.lockInterruptibly();
        lower.unlock();
      } finally {
        upper.unlock();
      }
    });
    join(holder);
    lower.lock(); // a thread merely waiting for a lock held by a live thread is no deadlock
    Thread waiter = start("waiter", lower::lockInterruptibly);
    awaitBlocked(waiter);

    assertThat(DeadlockCycles.findNow()).isEmpty();
    Watchdog.reportNew();
    assertThat(runtime.findings()).isEmpty();
    waiter.interrupt();
    lower.unlock();
    join(waiter);
  }

  @Test
  @Order(2)
  void twoThreadsDeadlockedOnTwoReentrantLocksAreReportedOnce() throws Exception {
    try (CrossedLocks crossed = new CrossedLocks(false)) {
      List<Violation> deadlocks = awaitDeadlock();

      Watchdog.reportNew();
      Watchdog.reportNew(); // the next period finds the same deadlock: not published again
      Violation deadlock = deadlocks.get(0);
      assertThat(runtime.findings()).usingRecursiveFieldByFieldElementComparator()
          .containsExactly(deadlock);
      assertThat(deadlocks).hasSize(1);
      assertDeadlock(deadlock, Severity.ERROR, SYNC, "upper-first", "lower-first");
      assertUnnamed(deadlock, "ReentrantLock");
      assertThat(deadlock.message()).endsWith(". These threads will never proceed.");
    }
  }

  @Test
  @Order(3)
  void aDeadlockWhereAThreadWaitsWithATimeoutIsAWarning() throws Exception {
    try (CrossedLocks crossed = new CrossedLocks(true)) {
      Violation deadlock = awaitDeadlock().get(0);

      assertDeadlock(deadlock, Severity.WARNING, SYNC, "upper-first", "lower-first");
      assertUnnamed(deadlock, "ReentrantLock");
      assertThat(deadlock.message()).endsWith(". At least one of them waits with a timeout, so"
          + " they are stuck until it gives up.");
    }
  }

  @Test
  @Order(4)
  void twoThreadsDeadlockedOnTwoMonitorsAreReportedWithTheNamesLockguardGaveThem()
      throws Exception {
    Object left = new Object();
    Object right = new Object();
    int leftHash = System.identityHashCode(left);
    int rightHash = System.identityHashCode(right);
    // as the lock-order detector registers its graph, which knows the fields locks live in
    LockNames.nameByIdentity((hash, type) -> !type.equals("java.lang.Object") ? null
        : hash == leftHash ? "Gate.left" : hash == rightHash ? "Gate.right" : null);
    CountDownLatch bothHoldOne = new CountDownLatch(2);
    int[] waitLines = new int[2];
    start("left-first", () -> {
      synchronized (left) {
        meet(bothHoldOne);
        waitLines[0] = nextLine();
        synchronized (right) { right.notifyAll(); } // one line: the frame's line, whatever its bci
      }
    });
    start("right-first", () -> {
      synchronized (right) {
        meet(bothHoldOne);
        waitLines[1] = nextLine();
        synchronized (left) { left.notifyAll(); } // one line: the frame's line, whatever its bci
      }
    });

    Violation deadlock = awaitDeadlock().get(0);

    assertDeadlock(deadlock, Severity.ERROR, Object.class.getName(), "left-first", "right-first");
    assertThat(deadlock.locks()).extracting(LockRef::name)
        .containsExactly("Gate.right", "Gate.left");
    assertThat(deadlock.message()).isEqualTo("Deadlock: \"left-first\" holds Gate.left and"
        + " waits for Gate.right; \"right-first\" holds Gate.right and waits for Gate.left."
        + " These threads will never proceed.");
    assertThat(deadlock.sites()).hasSize(2);
    assertThat(deadlock.sites().get(0)).endsWith("(WatchdogTests.java:" + waitLines[0] + ")");
    assertThat(deadlock.sites().get(1)).endsWith("(WatchdogTests.java:" + waitLines[1] + ")");
    assertThat(deadlock.edges()).allSatisfy(edge ->
        assertThat(edge.heldAt()).as("a monitor's frame is known").isNotEmpty());
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * The kind, severity, id, threads and locks of a two-thread deadlock, and that its message and
   * edges tell the same story: each thread holds what the other waits for.
   */
  private static void assertDeadlock(Violation deadlock, Severity severity, String lockType,
      String first, String second) {
    assertThat(deadlock.kind()).isEqualTo(Kind.DEADLOCK);
    assertThat(deadlock.severity()).isEqualTo(severity);
    assertThat(deadlock.id()).isEqualTo(Findings.stableId(Kind.DEADLOCK, deadlock.sites()));
    assertThat(deadlock.threads()).containsExactly(first, second);
    assertThat(deadlock.locks()).hasSize(2)
        .allSatisfy(lock -> assertThat(lock.type()).isEqualTo(lockType));
    String firstWants = deadlock.locks().get(0).name();
    String secondWants = deadlock.locks().get(1).name();
    assertThat(firstWants).isNotEqualTo(secondWants);
    assertThat(deadlock.message()).startsWith("Deadlock: \"" + first + "\" holds " + secondWants
        + " and waits for " + firstWants + "; \"" + second + "\" holds " + firstWants
        + " and waits for " + secondWants + ".");
    assertThat(deadlock.edges()).extracting(EdgeRef::from, EdgeRef::to, EdgeRef::thread)
        .containsExactly(
            tuple(secondWants, firstWants, first), tuple(firstWants, secondWants, second));
    assertThat(deadlock.edges()).allSatisfy(edge -> assertThat(edge.acquiredAt())
        .anySatisfy(frame -> assertThat(frame).contains("WatchdogTests.")));
  }

  /** Locks no detector named are called {@code SimpleType@hash}. */
  private static void assertUnnamed(Violation deadlock, String simpleTypePattern) {
    assertThat(deadlock.locks()).extracting(LockRef::name)
        .allSatisfy(name -> assertThat(name).matches(simpleTypePattern + "@[0-9a-f]+"));
  }

  /**
   * Threads "upper-first" and "lower-first" deadlocked on two {@code ReentrantLock}s, each holding
   * one and waiting for the other; closing interrupts them and waits for them to end.
   */
  private static final class CrossedLocks implements AutoCloseable {
    private final Thread first;
    private final Thread second;

    /** {@code firstTimed}: "upper-first" waits with a timeout (of an hour). */
    CrossedLocks(boolean firstTimed) {
      ReentrantLock upper = new ReentrantLock();
      ReentrantLock lower = new ReentrantLock();
      CountDownLatch bothHoldOne = new CountDownLatch(2);
      first = start("upper-first", () -> cross(upper, lower, bothHoldOne, firstTimed));
      second = start("lower-first", () -> cross(lower, upper, bothHoldOne, false));
    }

    @Override
    public void close() throws InterruptedException {
      first.interrupt();
      second.interrupt();
      join(first, second);
    }
  }

  /** Takes {@code held}, meets the other thread, then waits for {@code wanted} until interrupted. */
  private static void cross(ReentrantLock held, ReentrantLock wanted, CountDownLatch bothHoldOne,
      boolean timed) throws InterruptedException {
    held.lock();
    try {
      meet(bothHoldOne);
      boolean acquired = timed ? wanted.tryLock(1, TimeUnit.HOURS) : lockInterruptibly(wanted);
      if (acquired) {
        wanted.unlock();
      }
    } finally {
      held.unlock();
    }
  }

  private static boolean lockInterruptibly(ReentrantLock lock) throws InterruptedException {
    lock.lockInterruptibly();
    return true;
  }

  private static void meet(CountDownLatch bothHoldOne) throws InterruptedException {
    bothHoldOne.countDown();
    bothHoldOne.await();
  }

  /** The line after the caller's. */
  private static int nextLine() {
    return new Throwable().getStackTrace()[1].getLineNumber() + 1;
  }

  /** The reports of the deadlocks present, once there is one (within ten seconds). */
  private static List<Violation> awaitDeadlock() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      List<DeadlockCycles.Cycle> deadlocks = DeadlockCycles.findNow();
      if (!deadlocks.isEmpty()) {
        List<Violation> reports = new ArrayList<>();
        for (DeadlockCycles.Cycle cycle : deadlocks) {
          assertThat(cycle.threads()).extracting(ThreadInfo::getThreadName)
              .containsExactlyElementsOf(cycle.report().threads());
          reports.add(cycle.report());
        }
        return reports;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no deadlock found within ten seconds");
  }

}
