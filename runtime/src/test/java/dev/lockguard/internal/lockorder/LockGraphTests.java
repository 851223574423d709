package dev.lockguard.internal.lockorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockguard.LockOrderViolationException;
import dev.lockguard.internal.FreshRuntime;
import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lock-order detector driven directly through {@link Hooks}, without the agent. */
class LockGraphTests {
  @RegisterExtension final FreshRuntime runtime = new FreshRuntime();
  private List<Violation> found;

  @BeforeEach
  void listen() {
    found = runtime.findings();
  }

  @Test
  void conflictingEdgesAddedAtTheSameMomentNeverLoseTheCycle() throws Exception {
    int rounds = 300;
    CyclicBarrier start = new CyclicBarrier(2);
    List<ReentrantLock[]> pairs = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      pairs.add(new ReentrantLock[] {new ReentrantLock(), new ReentrantLock()});
    }
    Thread forward = new Thread(() -> takeAll(pairs, start, 0, 1), "forward");
    Thread backward = new Thread(() -> takeAll(pairs, start, 1, 0), "backward");
    forward.start();
    backward.start();
    forward.join();
    backward.join();

    assertThat(found).as("one cycle per pair, however the two threads interleaved")
        .hasSize(rounds)
        .allSatisfy(v -> {
          assertThat(v.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
          assertThat(v.edges()).hasSize(2);
        });
  }

  /** Takes each pair nested, in the given order, both threads entering each round together. */
  private static void takeAll(List<ReentrantLock[]> pairs, CyclicBarrier start, int outer, int inner) {
    for (ReentrantLock[] pair : pairs) {
      try {
        start.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      // try the inner lock without blocking on it: the two threads must not really deadlock
      Hooks.lock(pair[outer], Sites.UNKNOWN);
      ThreadState ts = ThreadState.current();
      LockOrderDetector.beforeAcquire(ts, pair[inner], pair[inner], Sites.UNKNOWN, false, true);
      Hooks.unlock(pair[outer], Sites.UNKNOWN);
    }
  }

  @Test
  void knownEdgeAllocatesNothingAndReentryAddsNoEdge() {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    nest(a, b);
    long edges = LockGraph.edgeCount();
    for (int i = 0; i < 100; i++) {
      Hooks.lock(a, Sites.UNKNOWN);
      Hooks.lock(b, Sites.UNKNOWN);
      Hooks.lock(a, Sites.UNKNOWN); // re-entry under b: no b -> a edge
      Hooks.unlock(a, Sites.UNKNOWN);
      Hooks.unlock(b, Sites.UNKNOWN);
      Hooks.unlock(a, Sites.UNKNOWN);
    }
    assertThat(LockGraph.edgeCount()).isEqualTo(edges);
    assertThat(found).isEmpty();
    assertThat(ThreadState.current().depth).isZero();
  }

  @Test
  void aReentryUnderOtherLocksCountsEveryHoldAddsNoEdgeAndTheNextCycleIsStillReported()
      throws Exception {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    Object m = new Object();
    Object n = new Object();
    ThreadState ts = ThreadState.current();
    Object state = Hooks.lock(a, Sites.UNKNOWN, null);
    state = Hooks.monitorEnter(m, Sites.UNKNOWN, state);
    Hooks.lock(b, Sites.UNKNOWN);
    state = Hooks.monitorEnter(n, Sites.UNKNOWN, state);
    long edges = LockGraph.edgeCount();
    long acquisitions = ts.counter.acquisitions;

    // Each re-entered under the locks taken after it, by every hook that takes a lock.
    Hooks.lock(a, Sites.UNKNOWN, state);
    Hooks.lock(a, Sites.UNKNOWN);
    state = Hooks.monitorEnter(m, Sites.UNKNOWN, state);
    Hooks.monitorEnter(m, Sites.UNKNOWN);
    Hooks.methodMonitorEntered(b, Sites.UNKNOWN, state);
    Hooks.methodMonitorEntered(n, Sites.UNKNOWN);

    assertThat(LockGraph.edgeCount()).as("a re-entry adds no edge").isEqualTo(edges);
    assertThat(ts.counter.acquisitions - acquisitions).isEqualTo(6);
    assertThat(ts.depth).isEqualTo(4);
    assertThat(LockOrderDetector.holdCount(a)).isEqualTo(3);
    assertThat(a.getHoldCount()).as("really taken").isEqualTo(3);
    assertThat(LockOrderDetector.holdCount(m)).isEqualTo(3);
    assertThat(LockOrderDetector.holdCount(b)).isEqualTo(2);
    assertThat(LockOrderDetector.holdCount(n)).isEqualTo(2);
    Hooks.monitorExit(n, state);
    Hooks.unlock(a, Sites.UNKNOWN, state); // out of order: a is the outermost
    Hooks.unlock(a, Sites.UNKNOWN);
    Hooks.monitorExit(m);
    Hooks.monitorExit(m, state);
    Hooks.monitorExit(b, state);
    assertThat(ts.depth).isEqualTo(4);
    assertThat(LockOrderDetector.holdCount(a)).isEqualTo(1);
    Hooks.monitorExit(n, state);
    Hooks.unlock(b, Sites.UNKNOWN);
    Hooks.monitorExit(m, state);
    Hooks.unlock(a, Sites.UNKNOWN);
    assertThat(ts.depth).isZero();
    assertThat(a.isHeldByCurrentThread()).isFalse();
    assertThat(found).isEmpty();

    Thread other = new Thread(() -> {
      Object theirs = Hooks.monitorEnter(n, Sites.UNKNOWN, null);
      Hooks.lock(a, Sites.UNKNOWN, theirs); // n -> a closes a -> n
      Hooks.unlock(a, Sites.UNKNOWN, theirs);
      Hooks.monitorExit(n, theirs);
    }, "closer");
    other.start();
    other.join();
    assertOneCycleWithCloser(found);
  }

  @Test
  void inAscendingOrderAReentryOfAnEarlierLockIsSilentAndANewLaterOneIsNot() {
    Config config = new Config(null, Config.Policy.RECORD, Config.Order.ASCENDING, 0, true,
        LockOrderViolationException::new);
    Config.install(config);
    LockOrderDetector.configure(config);
    ReentrantLock a = new ReentrantLock();
    Object m = new Object();
    nest(a, new ReentrantLock()); // ranks a first
    Object state = Hooks.monitorEnter(m, Sites.UNKNOWN, null);
    Hooks.lock(a, Sites.UNKNOWN, state); // ranked after m: a violation of the ascending order
    assertThat(found).singleElement().extracting(Violation::kind)
        .isEqualTo(Kind.LOCK_ORDER_VIOLATION);
    found.clear();
    Hooks.monitorEnter(m, Sites.UNKNOWN, state); // a re-entry of m under a: no new acquisition
    Hooks.lock(a, Sites.UNKNOWN, state);
    assertThat(found).isEmpty();
    assertThat(LockOrderDetector.holdCount(a)).isEqualTo(2);
    Hooks.unlock(a, Sites.UNKNOWN, state);
    Hooks.monitorExit(m, state);
    Hooks.unlock(a, Sites.UNKNOWN, state);
    Hooks.monitorExit(m, state);
    assertThat(ThreadState.current().depth).isZero();
  }

  @Test
  void outOfOrderReleaseKeepsTheRestOfTheStack() {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    ReentrantLock c = new ReentrantLock();
    long before = LockGraph.edgeCount();
    Hooks.lock(a, Sites.UNKNOWN);
    Hooks.lock(b, Sites.UNKNOWN);
    Hooks.unlock(a, Sites.UNKNOWN); // released under b
    Hooks.lock(c, Sites.UNKNOWN); // b -> c only: a is no longer held
    Hooks.unlock(c, Sites.UNKNOWN);
    Hooks.unlock(b, Sites.UNKNOWN);
    assertThat(LockGraph.edgeCount() - before).as("a -> b and b -> c, no a -> c").isEqualTo(2);
    assertThat(ThreadState.current().depth).isZero();
    assertThat(found).isEmpty();
  }

  @Test
  void singleThreadCycleIsAWarningThatASecondThreadRaisesToError() throws Exception {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    nest(a, b);
    nest(b, a);
    assertThat(found).singleElement().extracting(Violation::severity).isEqualTo(Severity.WARNING);

    Thread other = new Thread(() -> nest(a, b), "other");
    other.start();
    other.join();

    assertThat(found).hasSize(2);
    assertThat(found.get(1).id()).isEqualTo(found.get(0).id());
    assertThat(found.get(1).severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void readReadCycleIsNoDeadlockButReadWriteIs() {
    ReentrantReadWriteLock x = new ReentrantReadWriteLock();
    ReentrantReadWriteLock y = new ReentrantReadWriteLock();
    nest(x.readLock(), y.readLock());
    nest(y.readLock(), x.readLock());
    assertThat(found).isEmpty();

    nest(y.writeLock(), x.writeLock());
    nest(x.writeLock(), y.writeLock());
    assertThat(found).singleElement().satisfies(v ->
        assertThat(v.locks()).allSatisfy(lock ->
            assertThat(lock.type()).isEqualTo(ReentrantReadWriteLock.class.getName())));
  }

  @Test
  void throwPolicyThrowsOnTheClosingAcquisitionOnly() {
    runtime.use(Config.Policy.THROW);
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    nest(a, b);
    Hooks.lock(b, Sites.UNKNOWN);
    assertThatThrownBy(() -> Hooks.lock(a, Sites.UNKNOWN))
        .isInstanceOf(LockOrderViolationException.class)
        .hasMessageContaining("Lock-order cycle");
    assertThat(a.isHeldByCurrentThread()).as("thrown before blocking").isFalse();
    Hooks.unlock(b, Sites.UNKNOWN);
    nest(a, b); // the established order still works
    assertThat(ThreadState.current().depth).isZero();
  }

  @Test
  void aValidatedChainStillReportsTheCycleANewEdgeClosesAtAnyDepthAndAcrossThreads()
      throws Exception {
    for (int depth = 2; depth <= 6; depth++) {
      ReentrantLock[] chain = new ReentrantLock[depth];
      for (int i = 0; i < depth; i++) {
        chain[i] = new ReentrantLock();
      }
      for (int round = 0; round < 3; round++) {
        takeInOrder(chain); // validates the chain, then takes it from the cache
      }
      assertThat(found).as("a consistent order, depth %d", depth).isEmpty();

      // Another thread closes the cycle with the innermost lock taken first: a new edge.
      ReentrantLock innermost = chain[depth - 1];
      ReentrantLock outermost = chain[0];
      String closer = "closer-" + depth;
      Thread other = new Thread(() -> nest(innermost, outermost), closer);
      other.start();
      other.join();
      assertThat(found).as("depth %d", depth).singleElement().satisfies(v -> {
        assertThat(v.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
        assertThat(v.severity()).isEqualTo(Severity.ERROR);
        assertThat(v.threads()).containsExactlyInAnyOrder(
            Thread.currentThread().getName(), closer);
      });
      found.clear();

      // The cached chain still sees a new lock under it, and the cycle that lock closes in
      // this very thread, at the deepest position.
      ReentrantLock extra = new ReentrantLock();
      takeInOrder(chain);
      ReentrantLock[] longer = java.util.Arrays.copyOf(chain, depth + 1);
      longer[depth] = extra;
      takeInOrder(longer);
      takeInOrder(longer);
      nest(extra, chain[depth / 2]);
      assertThat(found).as("depth %d, one thread", depth).singleElement()
          .extracting(Violation::severity).isEqualTo(Severity.WARNING);
      found.clear();
    }
  }

  @Test
  void aValidatedChainOfMonitorsTakenWithTheMethodsStateStillReportsEveryNewCycle()
      throws Exception {
    for (int depth = 2; depth <= 6; depth++) {
      Object[] chain = new Object[depth];
      for (int i = 0; i < depth; i++) {
        chain[i] = new Object();
      }
      Object state = null; // as a rewritten method keeps it: null until its first hook
      for (int round = 0; round < 3; round++) {
        state = enterInOrder(chain, state); // validates the chain, then takes the fast path
      }
      assertThat(state).as("the hooks hand back the thread's state")
          .isSameAs(ThreadState.current());
      assertThat(found).as("a consistent order, depth %d", depth).isEmpty();

      Object innermost = chain[depth - 1];
      Object outermost = chain[0];
      String closer = "monitor-closer-" + depth;
      Thread other = new Thread(() -> enterInOrder(new Object[] {innermost, outermost}, null),
          closer);
      other.start();
      other.join();
      assertThat(found).as("depth %d", depth).singleElement().satisfies(v -> {
        assertThat(v.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
        assertThat(v.severity()).isEqualTo(Severity.ERROR);
        assertThat(v.threads()).containsExactlyInAnyOrder(
            Thread.currentThread().getName(), closer);
      });
      found.clear();

      // This thread, on its fast path, closes a cycle with a new monitor at the deepest point.
      Object extra = new Object();
      Object[] longer = java.util.Arrays.copyOf(chain, depth + 1);
      longer[depth] = extra;
      state = enterInOrder(longer, state);
      state = enterInOrder(longer, state);
      enterInOrder(new Object[] {extra, chain[depth / 2]}, state);
      assertThat(found).as("depth %d, one thread", depth).singleElement()
          .extracting(Violation::severity).isEqualTo(Severity.WARNING);
      found.clear();
      assertThat(ThreadState.current().depth).isZero();
    }
  }

  /**
   * Enters every monitor nested, outermost first, through the hooks a rewritten method calls with
   * its state local, then exits them innermost first; returns the state.
   */
  private static Object enterInOrder(Object[] monitors, Object state) {
    for (Object monitor : monitors) {
      state = Hooks.monitorEnter(monitor, Sites.UNKNOWN, state);
    }
    for (int i = monitors.length - 1; i >= 0; i--) {
      Hooks.monitorExit(monitors[i], state);
    }
    return state;
  }

  @Test
  void aValidatedChainNeverHidesTheThrowOnACycleClosingEdge() {
    runtime.use(Config.Policy.THROW);
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    ReentrantLock c = new ReentrantLock();
    takeInOrder(new ReentrantLock[] {a, b, c});
    for (int attempt = 0; attempt < 3; attempt++) {
      Hooks.lock(a, Sites.UNKNOWN);
      Hooks.lock(c, Sites.UNKNOWN); // a known chain, validated on the first attempt
      assertThatThrownBy(() -> Hooks.lock(b, Sites.UNKNOWN)) // c -> b closes b -> c -> b
          .as("attempt %d", attempt)
          .isInstanceOf(LockOrderViolationException.class);
      assertThat(b.isHeldByCurrentThread()).isFalse();
      Hooks.unlock(c, Sites.UNKNOWN);
      Hooks.unlock(a, Sites.UNKNOWN);
    }
    assertThat(ThreadState.current().depth).isZero();
  }

  @Test
  void aThreadGoingRoundSeveralChainsFindsEachAgainAndStillReportsTheCycleANewEdgeCloses()
      throws Exception {
    // As H2 does in every transaction: its session lock under another lock, then each table's
    // monitor and a sequence's under the session lock.
    ReentrantLock outer = new ReentrantLock();
    ReentrantLock session = new ReentrantLock();
    Object[] monitors = {new Object(), new Object(), new Object()};
    ThreadState ts = ThreadState.current();
    for (int round = 0; round < 3; round++) {
      boolean validated = round > 0;
      Hooks.lock(outer, Sites.UNKNOWN);
      assertThat(LockOrderDetector.knownAcquisition(ts, session, Sites.UNKNOWN, false) != null)
          .as("round %d", round).isEqualTo(validated);
      takeInOrder(new ReentrantLock[] {session});
      Hooks.unlock(outer, Sites.UNKNOWN);
      Hooks.lock(session, Sites.UNKNOWN);
      for (Object monitor : monitors) {
        assertThat(LockOrderDetector.knownAcquisition(ts, monitor, Sites.UNKNOWN, false) != null)
            .as("round %d", round).isEqualTo(validated);
        Hooks.monitorExit(monitor, Hooks.monitorEnter(monitor, Sites.UNKNOWN, null));
      }
      Hooks.unlock(session, Sites.UNKNOWN);
    }
    assertThat(LockGraph.edgeCount()).isEqualTo(4);
    assertThat(found).isEmpty();

    Object sequence = monitors[2];
    Thread other = new Thread(() -> nestUnder(sequence, session), "closer");
    other.start();
    other.join();
    assertOneCycleWithCloser(found);
    found.clear();
    nestUnder(sequence, session); // this thread closes the same cycle: no new finding, as before
    assertThat(LockGraph.edgeCount()).isEqualTo(5);

    LockGraph.reset();
    Hooks.lock(session, Sites.UNKNOWN);
    assertThat(LockOrderDetector.knownAcquisition(ts, monitors[0], Sites.UNKNOWN, false))
        .as("a reset graph forgets the earlier chains too").isNull();
    Hooks.unlock(session, Sites.UNKNOWN);
    assertThat(ts.depth).isZero();
  }

  @Test
  void aThreadKeepsItsMostRecentChainsAndChecksAnEvictedOneAgain() {
    ReentrantLock outer = new ReentrantLock();
    ReentrantLock[] inner = new ReentrantLock[ThreadState.SPARE_CHAINS + 2];
    for (int i = 0; i < inner.length; i++) {
      inner[i] = new ReentrantLock();
      nest(outer, inner[i]);
    }
    ThreadState ts = ThreadState.current();
    Hooks.lock(outer, Sites.UNKNOWN);
    for (int i = inner.length - 1; i >= 0; i--) {
      boolean kept = i >= inner.length - 1 - ThreadState.SPARE_CHAINS;
      assertThat(LockOrderDetector.knownAcquisition(ts, inner[i], Sites.UNKNOWN, false) != null)
          .as("inner lock %d", i).isEqualTo(kept);
    }
    Hooks.unlock(outer, Sites.UNKNOWN);
    nest(inner[0], outer); // the evicted chain's edge still closes its cycle
    assertThat(found).singleElement().extracting(Violation::severity)
        .isEqualTo(Severity.WARNING);
  }

  @Test
  void aThreadGoingRoundSeveralChainsStillThrowsOnTheCycleClosingEdgeEveryTime() {
    runtime.use(Config.Policy.THROW);
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    ReentrantLock c = new ReentrantLock();
    ReentrantLock d = new ReentrantLock();
    nest(b, a);
    for (int attempt = 0; attempt < 3; attempt++) {
      nest(a, c);
      nest(a, d);
      Hooks.lock(a, Sites.UNKNOWN);
      assertThatThrownBy(() -> Hooks.lock(b, Sites.UNKNOWN)) // a -> b closes a -> b -> a
          .as("attempt %d", attempt)
          .isInstanceOf(LockOrderViolationException.class);
      assertThat(b.isHeldByCurrentThread()).isFalse();
      Hooks.unlock(a, Sites.UNKNOWN);
    }
    assertThat(ThreadState.current().depth).isZero();
  }

  @Test
  void aResetGraphForgetsEveryThreadsValidatedChain() {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    takeInOrder(new ReentrantLock[] {a, b});
    takeInOrder(new ReentrantLock[] {a, b});
    long before = LockGraph.edgeCount();
    LockGraph.reset();
    takeInOrder(new ReentrantLock[] {a, b});
    assertThat(LockGraph.edgeCount()).as("the edge is made again in the new graph").isEqualTo(1);
    assertThat(before).isEqualTo(1);
  }

  /** Takes every lock nested, outermost first, then releases them innermost first. */
  private static void takeInOrder(ReentrantLock[] locks) {
    for (ReentrantLock lock : locks) {
      Hooks.lock(lock, Sites.UNKNOWN);
    }
    for (int i = locks.length - 1; i >= 0; i--) {
      Hooks.unlock(locks[i], Sites.UNKNOWN);
    }
  }

  @Test
  void collectedLocksLeaveTheGraph() {
    Object keep = new Object();
    for (int i = 0; i < 50_000; i++) {
      Object lock = new Object();
      Hooks.monitorEnter(keep, Sites.UNKNOWN);
      Hooks.monitorEnter(lock, Sites.UNKNOWN);
      Hooks.monitorExit(lock);
      Hooks.monitorExit(keep);
    }
    System.gc();
    int live = 0;
    for (int attempt = 0; attempt < 20; attempt++) {
      live = LockOrderDetector.liveLocks();
      if (live < 10_000) {
        break;
      }
      System.gc();
    }
    assertThat(live).isLessThan(10_000);
  }

  /** Takes {@code inner} inside the monitor {@code outer}, with the hooks' state local. */
  private static void nestUnder(Object outer, java.util.concurrent.locks.Lock inner) {
    Object state = Hooks.monitorEnter(outer, Sites.UNKNOWN, null);
    Hooks.lock(inner, Sites.UNKNOWN, state);
    Hooks.unlock(inner, Sites.UNKNOWN, state);
    Hooks.monitorExit(outer, state);
  }

  private static void nest(java.util.concurrent.locks.Lock outer, java.util.concurrent.locks.Lock inner) {
    Hooks.lock(outer, Sites.UNKNOWN);
    Hooks.lock(inner, Sites.UNKNOWN);
    Hooks.unlock(inner, Sites.UNKNOWN);
    Hooks.unlock(outer, Sites.UNKNOWN);
  }

  /** One POTENTIAL_DEADLOCK, an ERROR, between this thread and the thread named "closer". */
  private static void assertOneCycleWithCloser(List<Violation> found) {
    assertThat(found).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
      assertThat(v.severity()).isEqualTo(Severity.ERROR);
      assertThat(v.threads()).containsExactlyInAnyOrder(Thread.currentThread().getName(), "closer");
    });
  }
}
