package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.PerThread;

import java.util.concurrent.atomic.LongAdder;

/**
 * The queue check at run time: decides, when a thread reaches a flagged act, whether the check
 * that decided it could have gone stale, and what that would do on this queue.
 *
 * <p>A pair is exempt while only one thread has touched its side of the queue (consumers for an
 * act that takes, producers for one that puts: a check goes stale in the harmful direction only
 * through another thread's act of the same kind), or while some lock was held at every touch of
 * that side (Eraser's lockset over the flagged sites). Otherwise it is reported at the severity
 * of its {@link Consequence}: {@code ERROR} where the act blocks or throws, {@code WARNING} where it
 * returns null or false or where only a limit of the application's is missed. A check is one
 * finding for all the acts it decides: reported once, and again when it turns more severe, or when
 * it runs on another queue (the reporter counts that without printing it). Whether another thread
 * did change the queue between the check and the act ("race observed") is told in the message;
 * it does not change the severity.
 * Exempt pairs are remembered (a few per queue) and reported when a later touch shares their side
 * with no common lock.
 *
 * <p>Honest limits: only flagged sites count as touches, so a thread that uses the queue only
 * through calls that form no pair is not seen, and "changed in between" means changed by a
 * flagged act. A lock released and taken again between the check and the act still counts as
 * held.
 *
 * <p>Callers ({@link QueueHooks}) hold the thread's re-entry guard. The path of a pair already
 * reported, or exempt, allocates nothing: a table probe, a scan of the lockset, and the ring. The
 * queue's capacity is asked once per queue ({@link QueueState#capacity}), on the way to a report.
 */
final class QueueChecks {
  private static final LongAdder PAIR_RUNS = new LongAdder();

  private QueueChecks() {}

  /** Pair executions checked since the JVM started. */
  static long pairRuns() {
    return PAIR_RUNS.sum();
  }

  static void reset() {
    PAIR_RUNS.reset();
  }

  /** A flagged check ran on {@code queue} at {@code site} and returned {@code result}. */
  static void check(PerThread ts, Object queue, int site, int result) {
    QueueSites.Entry entry = QueueSites.get(site);
    if (entry == null) {
      return;
    }
    QueueState state = QueueTable.stateOf(queue);
    touched(ts, state, queue, entry.sides);
    ts.get(QueueThread.SLOT).checked(site, state, result);
  }

  /** A flagged act is about to run on {@code queue} at {@code site} (it may block for ever). */
  static void act(PerThread ts, Object queue, int site) {
    QueueSites.Entry entry = QueueSites.get(site);
    if (entry == null) {
      return;
    }
    QueueState state = QueueTable.stateOf(queue);
    touched(ts, state, queue, entry.sides);
    QueueThread checks = ts.get(QueueThread.SLOT);
    for (int pair = 0; pair < entry.checks.length; pair++) {
      int index = checks.find(entry.checks[pair], state);
      if (index >= 0) {
        PAIR_RUNS.increment();
        judge(ts, state, queue, entry, pair, site, checks, index);
      }
    }
  }

  /** A flagged act returned having changed {@code queue}. */
  static void changed(PerThread ts, Object queue, int site) {
    QueueState state = QueueTable.find(queue, System.identityHashCode(queue));
    QueueSites.Entry entry = QueueSites.get(site);
    if (state == null || entry == null) {
      return;
    }
    boolean added = entry.op.kind == QueueOp.Kind.PRODUCE;
    if (added) {
      state.added(ts);
    } else {
      state.removed(ts);
    }
    ts.get(QueueThread.SLOT).ownChange(state, added);
  }

  private static void touched(PerThread ts, QueueState state, Object queue, int sides) {
    state.touch(ts, sides);
    if (state.pendingCount > 0) {
      int exposed = state.exposedSides() & state.pendingSides;
      if (exposed != 0) {
        reportRemembered(ts, sides, state, queue, exposed);
      }
    }
  }

  private static void judge(PerThread ts, QueueState state, Object queue, QueueSites.Entry entry,
      int pair, int actSite, QueueThread checks, int index) {
    int checkSite = entry.checks[pair];
    int side = entry.sides;
    if (!state.exposed(side)) {
      state.remember(checkSite, actSite, side, checks.seen(index), ts);
      return;
    }
    QueueSites.Entry check = QueueSites.get(checkSite);
    if (check == null) {
      return;
    }
    boolean otherQueue = !state.reported(checkSite);
    if (check.level() == Consequence.HIGHEST_LEVEL && !otherQueue) {
      return; // reported as bad as it gets, through this act or another the check decides
    }
    Consequence consequence = consequence(entry, checkSite, checks.seen(index), state, queue);
    if (consequence == null) {
      return;
    }
    boolean consumes = side == QueueSites.CONSUMER;
    boolean raced = consumes ? checks.removedSince(index) : checks.addedSince(index);
    if (!check.raise(consequence.level(raced)) && !otherQueue) {
      return; // a queue reported before: only a rise is news
    }
    state.markReported(checkSite); // the report of another queue is counted, not printed
    String other = raced ? interferer(ts, state, consumes) : state.otherOn(side, ts.threadId);
    QueueFindings.report(new QueueFindings.Pair(checkSite, actSite, entry.op, consequence,
        checks.seen(index), raced, ts.thread.getName(), other, state));
  }

  /**
   * What a stale check would do here; asks the queue's capacity (once per queue) when the answer
   * depends on it.
   */
  private static Consequence consequence(QueueSites.Entry act, int checkSite, int seen,
      QueueState state, Object queue) {
    QueueSites.Entry check = QueueSites.get(checkSite);
    QueueOp checkOp = check == null ? QueueOp.SIZE : check.op;
    boolean needsCapacity =
        act.op.kind == QueueOp.Kind.PRODUCE || checkOp == QueueOp.REMAINING_CAPACITY;
    int capacity = needsCapacity ? state.capacity(queue) : QueueCapacity.NOT_ASKED;
    return Consequence.of(act.op, checkOp, seen, capacity);
  }

  /** The thread that changed the queue last, unless that was this thread. */
  private static String interferer(PerThread ts, QueueState state, boolean consumes) {
    long id = consumes ? state.lastRemoverId : state.lastAdderId;
    String name = consumes ? state.lastRemover : state.lastAdder;
    return id == ts.threadId ? null : name;
  }

  /**
   * Reports the pairs that ran exempt on the {@code exposed} sides of the queue, which {@code ts}'s
   * touch of {@code sides} left shared with no common lock: when that touch is on a pair's side,
   * its thread is the one the pair shares no lock with.
   */
  private static void reportRemembered(PerThread ts, int sides, QueueState state, Object queue,
      int exposed) {
    QueueState.Remembered[] remembered = state.drainRemembered(exposed);
    if (remembered == null) {
      return;
    }
    for (QueueState.Remembered pair : remembered) {
      QueueSites.Entry entry = QueueSites.get(pair.actSite());
      QueueSites.Entry check = QueueSites.get(pair.checkSite());
      if (entry == null || check == null) {
        continue;
      }
      Consequence consequence =
          consequence(entry, pair.checkSite(), pair.seen(), state, queue);
      boolean otherQueue = !state.reported(pair.checkSite());
      if (consequence != null && (check.raise(consequence.level(false)) || otherQueue)) {
        state.markReported(pair.checkSite());
        String other = (sides & entry.sides) != 0 && ts.threadId != pair.threadId()
            ? ts.thread.getName() : state.otherOn(entry.sides, pair.threadId());
        QueueFindings.report(new QueueFindings.Pair(pair.checkSite(), pair.actSite(), entry.op,
            consequence, pair.seen(), false, pair.thread(), other, state));
      }
    }
  }
}
