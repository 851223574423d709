package dev.lockguard.internal.latch;

import dev.lockguard.internal.core.Config;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The static methods that instrumented latch sites, and {@code dev.lockguard.Event}, call.
 *
 * <p>Calls on a {@code CountDownLatch}, {@code CyclicBarrier} or {@code Phaser} are replaced by
 * the hook of the same name, which takes the receiver, the arguments and the site id, tells the
 * detector, and makes the call itself with the application's exceptions unchanged. A store into a
 * field of a latch type calls {@link #fieldStore} with the new and the old value first. Event
 * calls announce their site with {@link #callSite}; the event (or a class named by {@code
 * latches=}) then reports its own set, clear and waits. Without the agent every hook only does the
 * call.
 */
public final class LatchHooks {
  private LatchHooks() {}

  // ---- CountDownLatch -------------------------------------------------------------------------

  public static void await(CountDownLatch latch, int site) throws InterruptedException {
    LatchRecord record = LatchDetector.beginWait(latch, LatchKind.COUNT_DOWN_LATCH, site, 0, false);
    boolean completed = false;
    try {
      latch.await();
      completed = true;
    } finally {
      LatchDetector.endWait(record, completed);
    }
  }

  public static boolean await(CountDownLatch latch, long timeout, TimeUnit unit, int site)
      throws InterruptedException {
    LatchRecord record = LatchDetector.beginWait(latch, LatchKind.COUNT_DOWN_LATCH, site, 0, false);
    boolean completed = false;
    try {
      completed = latch.await(timeout, unit);
      return completed;
    } finally {
      LatchDetector.endWait(record, completed);
    }
  }

  public static void countDown(CountDownLatch latch, int site) {
    LatchDetector.signal(latch, LatchKind.COUNT_DOWN_LATCH, site);
    latch.countDown();
  }

  // ---- CyclicBarrier --------------------------------------------------------------------------

  public static int await(CyclicBarrier barrier, int site)
      throws InterruptedException, BrokenBarrierException {
    LatchRecord record = LatchDetector.beginWait(barrier, LatchKind.CYCLIC_BARRIER, site, 0, true);
    boolean completed = false;
    try {
      int index = barrier.await();
      completed = true;
      return index;
    } finally {
      LatchDetector.endWait(record, completed);
    }
  }

  public static int await(CyclicBarrier barrier, long timeout, TimeUnit unit, int site)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    LatchRecord record = LatchDetector.beginWait(barrier, LatchKind.CYCLIC_BARRIER, site, 0, true);
    boolean completed = false;
    try {
      int index = barrier.await(timeout, unit);
      completed = true;
      return index;
    } finally {
      LatchDetector.endWait(record, completed);
    }
  }

  public static void reset(CyclicBarrier barrier, int site) {
    LatchDetector.barrierReset(barrier, site);
    barrier.reset();
  }

  // ---- Phaser ---------------------------------------------------------------------------------

  public static int arrive(Phaser phaser, int site) {
    LatchDetector.signal(phaser, LatchKind.PHASER, site);
    return phaser.arrive();
  }

  public static int arriveAndDeregister(Phaser phaser, int site) {
    LatchDetector.signal(phaser, LatchKind.PHASER, site);
    return phaser.arriveAndDeregister();
  }

  public static int arriveAndAwaitAdvance(Phaser phaser, int site) {
    LatchRecord record =
        LatchDetector.beginWait(phaser, LatchKind.PHASER, site, phaser.getPhase(), true);
    boolean completed = false;
    try {
      int phase = phaser.arriveAndAwaitAdvance();
      completed = true;
      return phase;
    } finally {
      LatchDetector.endWait(record, completed);
    }
  }

  public static int awaitAdvance(Phaser phaser, int phase, int site) {
    LatchRecord record = LatchDetector.beginWait(phaser, LatchKind.PHASER, site, phase, false);
    boolean completed = false;
    try {
      int next = phaser.awaitAdvance(phase);
      completed = true;
      return next;
    } finally {
      LatchDetector.endWait(record, completed);
    }
  }

  public static int awaitAdvanceInterruptibly(Phaser phaser, int phase, int site)
      throws InterruptedException {
    LatchRecord record = LatchDetector.beginWait(phaser, LatchKind.PHASER, site, phase, false);
    boolean completed = false;
    try {
      int next = phaser.awaitAdvanceInterruptibly(phase);
      completed = true;
      return next;
    } finally {
      LatchDetector.endWait(record, completed);
    }
  }

  public static int awaitAdvanceInterruptibly(Phaser phaser, int phase, long timeout,
      TimeUnit unit, int site) throws InterruptedException, TimeoutException {
    LatchRecord record = LatchDetector.beginWait(phaser, LatchKind.PHASER, site, phase, false);
    boolean completed = false;
    try {
      int next = phaser.awaitAdvanceInterruptibly(phase, timeout, unit);
      completed = true;
      return next;
    } finally {
      LatchDetector.endWait(record, completed);
    }
  }

  // ---- fields of a latch type -----------------------------------------------------------------

  /** Before {@code putfield}/{@code putstatic}: {@code value} replaces {@code old} in a field. */
  public static void fieldStore(Object value, Object old, int site) {
    LatchDetector.fieldStore(value, old, site);
  }

  /** Before a {@code putfield} in a constructor, where the old value cannot be read. */
  public static void fieldInit(Object value, int site) {
    LatchDetector.fieldInit(value, site);
  }

  // ---- events: dev.lockguard.Event and the classes named by latches= ----------------------------

  /** Announces the site of the event call the thread makes next. */
  public static void callSite(int site) {
    if (Config.agentActive()) {
      LatchThread.current().pendingSite = site;
    }
  }

  /** After {@code latch} was set (opened). */
  public static void eventSet(Object latch) {
    LatchDetector.eventSet(latch);
  }

  /** After {@code latch} was cleared (re-armed). */
  public static void eventCleared(Object latch) {
    LatchDetector.eventCleared(latch);
  }

  /** Before a thread waits for {@code latch}. */
  public static void eventAwaitEnter(Object latch) {
    LatchDetector.eventAwaitEnter(latch);
  }

  /** After a wait for {@code latch} ended: returned normally, or gave up (timeout, exception). */
  public static void eventAwaitExit(Object latch, boolean completed) {
    LatchDetector.eventAwaitExit(latch, completed);
  }

  /** After a wait for {@code latch} that returns whether it succeeded ended with {@code result}. */
  public static void eventAwaitExit(boolean result, Object latch) {
    LatchDetector.eventAwaitExit(latch, result);
  }
}
