package dev.lockguard.agent.lockorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.Rewritten;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lock-site rewriters on {@link LockSites}, in-process: the rewritten class passes ASM's
 * verifier and the JVM's, its hook calls stand where they should, each site is named after the
 * lock's field, and run against the runtime the hooks tell it what the thread holds.
 */
class LockSiteRewriterTests {
  private static final String MONITOR_ENTER = "Hooks.monitorEnter(Ljava/lang/Object;I)V";
  private static final String MONITOR_EXIT = "Hooks.monitorExit(Ljava/lang/Object;)V";
  private static final String METHOD_ENTERED = "Hooks.methodMonitorEntered(Ljava/lang/Object;I)V";
  private static final String UNLOCK = "Hooks.unlock(Ljava/util/concurrent/locks/Lock;I)V";
  private static final String HOLD_COUNT = "TestSupport.holdCount";

  private static Rewritten sites;

  @BeforeAll
  static void rewrite() throws Exception {
    sites = Rewritten.by(LockSites.class, LockSiteClassVisitor.REWRITER).verified();
  }

  @Test
  void callsOnlyTheLockOrderHooks() {
    assertThat(sites.hookOwners()).containsExactly("dev/lockguard/internal/lockorder/Hooks");
  }

  @Test
  void synchronizedBlockChecksBeforeEnteringAndReleasesOnEveryExit() throws Exception {
    assertThat(sites.trace("syncBlock")).containsExactly(
        MONITOR_ENTER + " @ LockSites.account", "monitorenter",
        HOLD_COUNT,
        MONITOR_EXIT, "monitorexit", "return",
        MONITOR_EXIT, "monitorexit", "athrow");

    assertThat(sites.call(sites.newInstance(), "syncBlock")).isEqualTo(1);
  }

  @Test
  void synchronizedMethodTakesItsMonitorInBytecodeWhenLoaded() throws Exception {
    assertThat(sites.trace("syncMethod")).containsExactly(
        MONITOR_ENTER + " @ null", "monitorenter",
        HOLD_COUNT,
        MONITOR_EXIT, "monitorexit", "return",
        MONITOR_EXIT, "monitorexit", "athrow");
    assertThat(Modifier.isSynchronized(
        sites.load().getDeclaredMethod("syncMethod").getModifiers())).isFalse();

    assertThat(sites.call(sites.newInstance(), "syncMethod")).isEqualTo(1);
  }

  @Test
  void retransformedSynchronizedMethodKeepsTheModifierAndReportsTheMonitorEntered()
      throws Exception {
    Rewritten retransformed =
        Rewritten.retransformed(LockSites.class, LockSiteClassVisitor.REWRITER).verified();

    assertThat(retransformed.trace("syncMethod")).containsExactly(
        METHOD_ENTERED + " @ null",
        HOLD_COUNT,
        MONITOR_EXIT, "return",
        MONITOR_EXIT, "athrow");
    assertThat(Modifier.isSynchronized(
        retransformed.load().getDeclaredMethod("syncMethod").getModifiers())).isTrue();
    assertThat(retransformed.call(retransformed.newInstance(), "syncMethod")).isEqualTo(1);
  }

  @Test
  void staticSynchronizedMethodKeepsItsModifierForTheJit() throws Exception {
    assertThat(sites.trace("staticSyncMethod")).containsExactly(
        METHOD_ENTERED + " @ null",
        HOLD_COUNT,
        MONITOR_EXIT, "return",
        MONITOR_EXIT, "athrow");
    assertThat(Modifier.isSynchronized(
        sites.load().getDeclaredMethod("staticSyncMethod").getModifiers())).isTrue();

    assertThat(sites.call(null, "staticSyncMethod")).isEqualTo(1);
  }

  @Test
  void lockCallsBecomeHooksNamedAfterTheField() throws Exception {
    assertThat(sites.trace("timedTryLock")).containsExactly(
        "Hooks.tryLock(Ljava/util/concurrent/locks/Lock;JLjava/util/concurrent/TimeUnit;I)Z"
            + " @ LockSites.lock",
        "return",
        HOLD_COUNT,
        UNLOCK + " @ LockSites.lock", "return",
        UNLOCK + " @ LockSites.lock", "athrow");
    assertThat(sites.trace("<init>")).contains("Hooks.newCondition"
        + "(Ljava/util/concurrent/locks/Lock;I)Ljava/util/concurrent/locks/Condition;"
        + " @ LockSites.lock");

    assertThat(sites.call(sites.newInstance(), "timedTryLock")).isEqualTo(1);
  }

  @Test
  void readLockIsNamedAfterItsReadWriteLock() throws Exception {
    assertThat(sites.trace("readLock")).containsExactly(
        "ReentrantReadWriteLock.readLock",
        "Hooks.lock(Ljava/util/concurrent/locks/Lock;I)V @ LockSites.catalog",
        "TestSupport.heldLocks",
        "ReentrantReadWriteLock.readLock", UNLOCK + " @ LockSites.catalog", "return",
        "ReentrantReadWriteLock.readLock", UNLOCK + " @ LockSites.catalog", "athrow");

    assertThat(sites.call(sites.newInstance(), "readLock")).isEqualTo(1);
  }

  @Test
  void waitsGoThroughTheHooksThatReleaseAndRetakeTheLock() throws Exception {
    assertThat(sites.trace("waitOnMonitor")).containsSequence(
        MONITOR_ENTER + " @ LockSites.account", "monitorenter",
        "Hooks.objectWait(Ljava/lang/Object;JI)V @ LockSites.account",
        HOLD_COUNT);
    assertThat(sites.trace("awaitCondition")).containsSequence(
        "Hooks.lockInterruptibly(Ljava/util/concurrent/locks/Lock;I)V @ LockSites.lock",
        "Hooks.await(Ljava/util/concurrent/locks/Condition;JLjava/util/concurrent/TimeUnit;I)Z"
            + " @ LockSites.changed",
        HOLD_COUNT);

    Object instance = sites.newInstance();
    assertThat(sites.call(instance, "waitOnMonitor")).isEqualTo(1);
    assertThat(sites.call(instance, "awaitCondition")).isEqualTo(1);
  }
}
