package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.PerThread;

/**
 * The static methods that the agent inserts around the queue calls of a check-then-act pair.
 *
 * <p>Only the sites of pairs call these (see the agent's {@code QueueCheckClassVisitor}): a
 * check's hook runs after the check, with what it returned; an act's before the act (which may
 * block), and after it when it changed the queue. The original queue call stays in place, so the
 * application's exceptions, blocking and dispatch are untouched. Like every hook, each one sets
 * the thread's re-entry guard, never throws into the application, and allocates nothing once a
 * queue and a pair have been seen.
 */
public final class QueueHooks {
  private static final int CHECK = 0;
  private static final int ACT = 1;
  private static final int CHANGED = 2;

  private QueueHooks() {}

  /** After a flagged {@code size()} or {@code remainingCapacity()} that returned {@code count}. */
  public static void afterCheck(int count, Object queue, int site) {
    guarded(CHECK, queue, site, count);
  }

  /** After a flagged {@code isEmpty()}. */
  public static void afterIsEmpty(boolean empty, Object queue, int site) {
    guarded(CHECK, queue, site, empty ? 1 : 0);
  }

  /** After a flagged {@code peek*()}: a null head means the queue looked empty. */
  public static void afterPeek(Object head, Object queue, int site) {
    guarded(CHECK, queue, site, head == null ? 1 : 0);
  }

  /** Before a flagged act, which may block for ever: the pair is judged here. */
  public static void act(Object queue, int site) {
    guarded(ACT, queue, site, 0);
  }

  /** After a flagged {@code poll*}: a null element means it changed nothing. */
  public static void afterPoll(Object element, Object queue, int site) {
    if (element != null) {
      guarded(CHANGED, queue, site, 0);
    }
  }

  /** After a flagged {@code offer*} or {@code add}: false means it changed nothing. */
  public static void afterOffer(boolean accepted, Object queue, int site) {
    if (accepted) {
      guarded(CHANGED, queue, site, 0);
    }
  }

  /** After a flagged act that returned normally having changed the queue. */
  public static void afterChange(Object queue, int site) {
    guarded(CHANGED, queue, site, 0);
  }

  /**
   * Runs one step under the thread's re-entry guard; a failure is said once, never thrown. The
   * step and a check's result travel packed in one {@code long}.
   */
  private static void guarded(int step, Object queue, int site, int result) {
    if (queue == null) {
      return; // the queue call itself threw the NullPointerException, or will
    }
    PerThread thread = PerThread.current();
    thread.run(STEP, thread, queue, null, site, (long) result << 32 | step);
  }

  private static final PerThread.Step<PerThread> STEP = (thread, queue, unused, site, packed) -> {
    switch ((int) packed) {
      case CHECK -> QueueChecks.check(thread, queue, site, (int) (packed >>> 32));
      case ACT -> QueueChecks.act(thread, queue, site);
      default -> QueueChecks.changed(thread, queue, site);
    }
  };

  /** Forgets every queue, flagged site and count (unit tests only). */
  public static void reset() {
    QueueTable.reset();
    QueueSites.reset();
    QueueChecks.reset();
  }

  /** Calls examined, pairs instrumented and pair runs checked, for tests and diagnostics. */
  public static String statistics() {
    return "queueCalls=" + QueueSites.callsSeen() + " queuePairs=" + QueueSites.pairs()
        + " queuePairRuns=" + QueueChecks.pairRuns();
  }
}
