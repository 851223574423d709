package dev.lockguard.internal.lockorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.internal.FreshRuntime;
import dev.lockguard.internal.core.Sites;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The held-lock entries of {@link ThreadState}: site, re-entry count and mode packed in one long
 * per held lock, and the identity hash taken at the push for a monitor only.
 */
class ThreadStateTests {
  @RegisterExtension final FreshRuntime runtime = new FreshRuntime();

  @Test
  void anEntryKeepsItsSiteCountAndModeWhateverTheSiteId() {
    ThreadState ts = ThreadState.current();
    Object outer = new Object();
    Object inner = new Object();
    ts.pushOutermost(outer, Integer.MAX_VALUE, true);
    ts.push(inner, System.identityHashCode(inner), null, -7, false, 1);
    ts.reenter(0);
    ts.reenter(0);

    assertThat(ts.depth).isEqualTo(2);
    assertThat(ts.site(0)).isEqualTo(Integer.MAX_VALUE);
    assertThat(ts.count(0)).isEqualTo(3);
    assertThat(ts.isShared(0)).isTrue();
    assertThat(ts.site(1)).isEqualTo(-7);
    assertThat(ts.count(1)).isEqualTo(1);
    assertThat(ts.isShared(1)).isFalse();

    assertThat(ts.releaseInnermost(inner)).isTrue();
    assertThat(ts.release(outer)).isTrue();
    assertThat(ts.count(0)).as("one release of three").isEqualTo(2);
    assertThat(ts.release(outer)).isTrue();
    assertThat(ts.releaseInnermost(outer)).isTrue();
    assertThat(ts.depth).isZero();
    assertThat(ts.keys[0]).as("a released lock is not kept alive").isNull();
  }

  @Test
  void aCountPastItsWidthStaysAtTheLargestItHolds() {
    ThreadState ts = ThreadState.current();
    Object lock = new Object();
    ts.pushOutermost(lock, 5, false);
    ts.setCount(0, Integer.MAX_VALUE);
    ts.reenter(0);

    assertThat(ts.count(0)).isEqualTo((1 << 30) - 1);
    assertThat(ts.site(0)).as("the count never spills into the site").isEqualTo(5);
    assertThat(ts.isShared(0)).isFalse();
    ts.setCount(0, 1);
    assertThat(ts.release(lock)).isTrue();
    assertThat(ts.depth).isZero();
  }

  @Test
  void aMonitorsHashIsTakenAtItsPushAndALocksWhenItsNodeIsNeeded() {
    ThreadState ts = ThreadState.current();
    Object monitor = new Object();
    ReentrantLock lock = new ReentrantLock();
    ts.pushOutermostMonitor(monitor, Sites.UNKNOWN);
    ts.pushOutermost(lock, Sites.UNKNOWN, false);

    assertThat(ts.hash(0)).isEqualTo(System.identityHashCode(monitor));
    assertThat(ts.hash(1)).isEqualTo(System.identityHashCode(lock));
    assertThat(LockOrderDetector.heldNode(ts, 1).hash).isEqualTo(System.identityHashCode(lock));
    ts.releaseInnermost(lock);
    ts.releaseInnermost(monitor);
    assertThat(ts.depth).isZero();
  }

  @Test
  void hooksCountReentriesAndAWaitGivesTheCountBack() throws InterruptedException {
    ReentrantLock lock = new ReentrantLock();
    ReentrantReadWriteLock readWrite = new ReentrantReadWriteLock();
    Condition condition = Hooks.newCondition(lock, Sites.UNKNOWN);
    Hooks.lock(readWrite.readLock(), Sites.UNKNOWN);
    Hooks.lock(lock, Sites.UNKNOWN);
    Hooks.lock(lock, Sites.UNKNOWN);
    assertThat(LockOrderDetector.holdCount(lock)).isEqualTo(2);
    assertThat(ThreadState.current().isShared(0)).as("the read lock").isTrue();

    assertThat(Hooks.await(condition, 1, TimeUnit.MILLISECONDS, Sites.UNKNOWN)).isFalse();
    assertThat(LockOrderDetector.holdCount(lock)).as("taken back with its count").isEqualTo(2);
    assertThat(ThreadState.current().keys[1]).as("back on top of the read lock").isSameAs(lock);

    Hooks.unlock(lock, Sites.UNKNOWN);
    Hooks.unlock(lock, Sites.UNKNOWN);
    Hooks.unlock(readWrite.readLock(), Sites.UNKNOWN);
    assertThat(LockOrderDetector.heldLocks()).isZero();
    assertThat(lock.isHeldByCurrentThread()).isFalse();
  }
}
