package dev.lockguard.agent.lockorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.Rewritten;
import dev.lockguard.internal.TestSupport;
import dev.lockguard.internal.lockorder.Hooks;
import java.lang.reflect.Modifier;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lock-site rewriters on {@link LockSites}, in-process: the rewritten class passes ASM's
 * verifier and the JVM's, its hook calls stand where they should, each site is named after the
 * lock's field, and run against the runtime the hooks tell it what the thread holds.
 */
class LockSiteRewriterTests {
  // The hot hooks take the method's state local and the acquiring ones return it.
  private static final String MONITOR_ENTER =
      "Hooks.monitorEnter(Ljava/lang/Object;ILjava/lang/Object;)Ljava/lang/Object;";
  private static final String MONITOR_EXIT =
      "Hooks.monitorExit(Ljava/lang/Object;Ljava/lang/Object;)V";
  /** A synchronized method's catch-all handler releases its monitor without the state. */
  private static final String HANDLER_EXIT = "Hooks.monitorExit(Ljava/lang/Object;)V";
  private static final String METHOD_ENTERED =
      "Hooks.methodMonitorEntered(Ljava/lang/Object;ILjava/lang/Object;)Ljava/lang/Object;";
  private static final String LOCK =
      "Hooks.lock(Ljava/util/concurrent/locks/Lock;ILjava/lang/Object;)Ljava/lang/Object;";
  private static final String UNLOCK =
      "Hooks.unlock(Ljava/util/concurrent/locks/Lock;ILjava/lang/Object;)V";
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
        MONITOR_ENTER + " @ LockSites.this", "monitorenter",
        HOLD_COUNT,
        MONITOR_EXIT, "monitorexit", "return",
        HANDLER_EXIT, "monitorexit", "athrow");
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
        METHOD_ENTERED + " @ LockSites.this",
        HOLD_COUNT,
        MONITOR_EXIT, "return",
        HANDLER_EXIT, "athrow");
    assertThat(Modifier.isSynchronized(
        retransformed.load().getDeclaredMethod("syncMethod").getModifiers())).isTrue();
    assertThat(retransformed.call(retransformed.newInstance(), "syncMethod")).isEqualTo(1);
  }

  @Test
  void staticSynchronizedMethodKeepsItsModifierForTheJit() throws Exception {
    assertThat(sites.trace("staticSyncMethod")).containsExactly(
        METHOD_ENTERED + " @ LockSites.class",
        HOLD_COUNT,
        MONITOR_EXIT, "return",
        HANDLER_EXIT, "athrow");
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
        LOCK + " @ LockSites.catalog",
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

  // ---- names: where the code got the lock -----------------------------------------------------

  @Test
  void synchronizedThisIsNamedAfterTheClass() throws Exception {
    assertThat(sites.trace("syncThis")).startsWith(MONITOR_ENTER + " @ LockSites.this");
    assertThat(sites.call(sites.newInstance(), "syncThis")).isEqualTo(1);
  }

  @Test
  void locksFromTrivialGettersAreNamedAfterTheFieldsTheyReturn() throws Exception {
    assertThat(sites.trace("fromGetters")).containsSequence(
        "LockSites$Holder.getMonitor", MONITOR_ENTER + " @ LockSites$Holder.monitor",
        "monitorenter", "LockSites$Holder.getLock", LOCK + " @ LockSites$Holder.lock");
    assertThat(sites.trace("fromComputed")).contains(
        MONITOR_ENTER + " @ LockSites$Holder.computeMonitor()");

    Object instance = sites.newInstance();
    assertThat(sites.call(instance, "fromGetters")).isEqualTo(2);
    assertThat(sites.call(instance, "fromComputed")).isEqualTo(1);
  }

  @Test
  void aFieldCopiedToALocalKeepsItsName() throws Exception {
    assertThat(sites.trace("fromLocalCopy")).startsWith(LOCK + " @ LockSites.lock");
    assertThat(sites.call(sites.newInstance(), "fromLocalCopy")).isEqualTo(1);
  }

  // ---- coverage: shapes that escaped ----------------------------------------------------------

  @Test
  void methodReferencesToLockMethodsGoThroughBridgesThatCallTheHooks() throws Exception {
    // A bridge takes one lock per call: it has no state local, and calls the plain hooks.
    assertThat(sites.trace("lockguard$lock$0")).containsExactly(
        "Hooks.lock(Ljava/util/concurrent/locks/Lock;I)V @ null", "return");
    assertThat(sites.trace("lockguard$unlock$1")).containsExactly(
        "Hooks.unlock(Ljava/util/concurrent/locks/Lock;I)V @ null", "return");

    assertThat(sites.call(sites.newInstance(), "methodReference"))
        .as("the runtime saw the lock taken through the method reference").isEqualTo(1);
    assertThat(TestSupport.heldLocks()).as("and released").isZero();
  }

  @Test
  void superLockInALockSubclassIsCheckedAndCountedOnce() throws Exception {
    Rewritten counting =
        Rewritten.by(LockSites.CountingLock.class, LockSiteClassVisitor.REWRITER).verified();
    String self = " @ LockSites$CountingLock.this";
    assertThat(counting.trace("lock")).containsExactly(
        "Hooks.beforeSuperLock(Ljava/util/concurrent/locks/Lock;I)V" + self,
        "ReentrantLock.lock",
        "Hooks.afterSuperLock(Ljava/util/concurrent/locks/Lock;I)V" + self, "return");
    assertThat(counting.trace("tryLock")).containsExactly("ReentrantLock.tryLock",
        "Hooks.superTryLocked(Ljava/util/concurrent/locks/Lock;ZI)Z" + self, "return");
    assertThat(counting.trace("unlock")).containsExactly("ReentrantLock.unlock",
        "Hooks.afterSuperUnlock(Ljava/util/concurrent/locks/Lock;)V", "return");

    Lock lock = (Lock) counting.newInstance();
    counting.call(lock, "acquire"); // uninstrumented callers: the super call is the only record
    assertThat(TestSupport.holdCount(lock)).isEqualTo(1);
    lock.unlock();
    assertThat(TestSupport.holdCount(lock)).isZero();

    Hooks.lock(lock, 0); // an instrumented caller: lock() -> super.lock() is one acquisition
    assertThat(TestSupport.holdCount(lock)).isEqualTo(1);
    assertThat(Hooks.tryLock(lock, 0)).isTrue();
    assertThat(TestSupport.holdCount(lock)).isEqualTo(2);
    Hooks.unlock(lock, 0);
    Hooks.unlock(lock, 0);
    assertThat(TestSupport.holdCount(lock)).isZero();
    assertThat(TestSupport.heldLocks()).isZero();
  }

  @Test
  void kotlinAndScalaShapesAreRewrittenAndNamed() throws Exception {
    Rewritten other = Rewritten.of(OtherCompilers.classFile(),
        LockSiteRewriterTests.class.getClassLoader(), LockSiteClassVisitor.REWRITER).verified();

    assertThat(other.trace("kotlinSynchronized")).containsExactly(
        MONITOR_ENTER + " @ OtherCompilersShapes.monitor", "monitorenter",
        HOLD_COUNT, MONITOR_EXIT, "monitorexit", "return");
    assertThat(other.trace("kotlinWithLock")).containsExactly(
        LOCK + " @ OtherCompilersShapes.lock", HOLD_COUNT,
        UNLOCK + " @ OtherCompilersShapes.lock", "return");
    assertThat(other.trace("scalaSynchronized")).containsExactly(
        "OtherCompilersShapes.monitor", MONITOR_ENTER + " @ OtherCompilersShapes.monitor",
        "monitorenter", HOLD_COUNT, MONITOR_EXIT, "monitorexit", "return");

    Object instance = other.newInstance();
    assertThat(other.call(instance, "kotlinSynchronized")).isEqualTo(1);
    assertThat(other.call(instance, "kotlinWithLock")).isEqualTo(1);
    assertThat(other.call(instance, "scalaSynchronized")).isEqualTo(1);
    assertThat(TestSupport.heldLocks()).isZero();
  }
}
