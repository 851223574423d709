package dev.lockguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** {@link OrderedLocks} as a plain library: no agent in this JVM. */
class OrderedLocksTests {

  /** A lock that records the order of lock and unlock calls. */
  private static final class Recording extends ReentrantLock {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final List<String> log;

    Recording(String name, List<String> log) {
      this.name = name;
      this.log = log;
    }

    @Override
    public void lock() {
      super.lock();
      log.add("lock " + name);
    }

    @Override
    public void unlock() {
      log.add("unlock " + name);
      super.unlock();
    }
  }

  @Test
  void takesLocksInRankOrderAndReleasesThemInReverse() {
    List<String> log = new ArrayList<>();
    Recording a = LockOrder.rank(new Recording("a", log), 3);
    Recording b = LockOrder.rank(new Recording("b", log), 1);
    Recording c = LockOrder.rank(new Recording("c", log), 2);

    try (OrderedLocks.Held held = OrderedLocks.acquire(a, b, c)) {
      assertThat(a.isHeldByCurrentThread() && b.isHeldByCurrentThread() && c.isHeldByCurrentThread())
          .isTrue();
    }

    assertThat(log).containsExactly("lock b", "lock c", "lock a", "unlock a", "unlock c", "unlock b");
    assertThat(a.isLocked() || b.isLocked() || c.isLocked()).isFalse();
  }

  @Test
  void nestedCallForALowerRankThrowsBeforeTakingAnything() {
    ReentrantLock low = LockOrder.name(LockOrder.rank(new ReentrantLock(), 100), "low");
    ReentrantLock high = LockOrder.name(LockOrder.rank(new ReentrantLock(), 200), "high");

    try (OrderedLocks.Held outer = OrderedLocks.acquire(high)) {
      assertThatThrownBy(() -> OrderedLocks.acquire(low))
          .isInstanceOf(LockOrderViolationException.class)
          .hasMessage("Lock Order Violation: thread \"" + Thread.currentThread().getName()
              + "\" takes low (rank 100) while holding high (rank 200);"
              + " a thread may only take locks in ascending rank.");
      assertThat(low.isLocked()).isFalse();
    }
    assertThat(high.isLocked()).isFalse();
  }

  @Test
  void nestedCallForAHigherRankOrAHeldLockIsAllowed() {
    ReentrantLock low = LockOrder.rank(new ReentrantLock(), 300);
    ReentrantLock high = LockOrder.rank(new ReentrantLock(), 400);

    try (OrderedLocks.Held outer = OrderedLocks.acquire(low)) {
      try (OrderedLocks.Held again = OrderedLocks.acquire(low, high)) {
        assertThat(low.getHoldCount()).isEqualTo(2);
        assertThat(high.isHeldByCurrentThread()).isTrue();
      }
      assertThat(high.isLocked()).isFalse();
    }
    assertThat(low.isLocked()).isFalse();
  }

  @Test
  void unrankedLocksAreOrderedByFirstUse() {
    ReentrantLock first = new ReentrantLock();
    ReentrantLock second = new ReentrantLock();
    assertThat(LockOrder.rankOf(first)).isLessThan(LockOrder.rankOf(second));
    assertThat(LockOrder.rankOf(first)).as("stable").isEqualTo(LockOrder.rankOf(first));
  }

  @Test
  void nullLockIsRejectedWithAMessage() {
    assertThatThrownBy(() -> OrderedLocks.acquire(new ReentrantLock(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("lock is null");
  }
}
