package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.PerThread;

/**
 * The static methods that the agent inserts around the queue calls of a check-then-act pair.
 *
 * <p>Only the sites of pairs call these (see the agent's {@code QueueCheckClassVisitor}); the
 * original queue call stays in place, so the application's exceptions, blocking and dispatch are
 * untouched. Like every hook, each one sets the thread's re-entry guard, never throws into the
 * application, and allocates nothing once a queue and a pair have been seen.
 */
public final class QueueHooks {
  private static final int CHECK = 0;
  private static final int ACT = 1;
  private static final int CHANGED = 2;

  private QueueHooks() {}

  /** Before a flagged check ({@code size}, {@code isEmpty}, {@code remainingCapacity}, {@code peek}). */
  public static void check(Object queue, int site) {
    guarded(CHECK, queue, site);
  }

  /** Before a flagged act, which may block for ever: the pair is judged here. */
  public static void act(Object queue, int site) {
    guarded(ACT, queue, site);
  }

  /** After a flagged {@code poll*}: a null element means it changed nothing. */
  public static void afterPoll(Object element, Object queue, int site) {
    if (element != null) {
      guarded(CHANGED, queue, site);
    }
  }

  /** After a flagged {@code offer*} or {@code add}: false means it changed nothing. */
  public static void afterOffer(boolean accepted, Object queue, int site) {
    if (accepted) {
      guarded(CHANGED, queue, site);
    }
  }

  /** After a flagged act that returned normally having changed the queue. */
  public static void afterChange(Object queue, int site) {
    guarded(CHANGED, queue, site);
  }

  /** Runs one step under the thread's re-entry guard; a failure is said once, never thrown. */
  private static void guarded(int step, Object queue, int site) {
    if (queue == null) {
      return; // the queue call itself throws the NullPointerException
    }
    PerThread thread = PerThread.current();
    thread.run(STEP, thread, queue, null, site, step);
  }

  private static final PerThread.Step<PerThread> STEP = (thread, queue, unused, site, step) -> {
    switch ((int) step) {
      case CHECK -> QueueChecks.check(thread, queue, site);
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
