package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.PerThread;

import java.util.concurrent.atomic.LongAdder;

/**
 * The queue check at run time: decides, when a thread reaches a flagged act, whether the check
 * that decided it could have gone stale, and how bad that is.
 *
 * <p>A pair is exempt while only one thread has touched its queue, or while some lock was held at
 * every touch (Eraser's lockset over the flagged sites). Otherwise it is reported, once per site
 * pair, at the level it reached:
 * <ol>
 *   <li>{@code WARNING}: the act throws, returns null or false, when the queue changed in between;
 *   <li>{@code ERROR}: the act is a {@code take} or {@code put}, which then blocks for ever;
 *   <li>{@code ERROR}: another thread did change the queue between the check and the act.
 * </ol>
 * Exempt pairs are remembered (a few per queue) and reported when a later touch shares the queue
 * or empties its lockset.
 *
 * <p>Honest limits: only flagged sites count as touches, so a thread that uses the queue only
 * through calls that form no pair is not seen, and "changed in between" means changed by a
 * flagged act. A lock released and taken again between the check and the act still counts as
 * held.
 *
 * <p>Callers ({@link QueueHooks}) hold the thread's re-entry guard. The path of a pair already
 * reported, or exempt, allocates nothing: a table probe, a scan of the lockset, and the ring.
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

  /** A flagged check ran on {@code queue} at {@code site}. */
  static void check(PerThread ts, Object queue, int site) {
    QueueState state = QueueTable.stateOf(queue, ts);
    touched(ts, state);
    ts.get(QueueThread.SLOT).checked(site, state);
  }

  /** A flagged act is about to run on {@code queue} at {@code site} (it may block for ever). */
  static void act(PerThread ts, Object queue, int site) {
    QueueState state = QueueTable.stateOf(queue, ts);
    touched(ts, state);
    QueueSites.Entry entry = QueueSites.get(site);
    if (entry == null) {
      return;
    }
    QueueThread checks = ts.get(QueueThread.SLOT);
    for (int pair = 0; pair < entry.checks.length; pair++) {
      int index = checks.find(entry.checks[pair], state);
      if (index >= 0) {
        PAIR_RUNS.increment();
        judge(ts, state, entry, pair, site, checks, index);
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

  private static void touched(PerThread ts, QueueState state) {
    state.touch(ts);
    if (state.pendingCount > 0 && state.shared && !state.guarded()) {
      reportRemembered(ts, state);
    }
  }

  private static void judge(PerThread ts, QueueState state, QueueSites.Entry entry, int pair,
      int actSite, QueueThread checks, int index) {
    int checkSite = entry.checks[pair];
    if (!state.shared || state.guarded()) {
      state.remember(checkSite, actSite, ts.thread.getName());
      return;
    }
    boolean consumes = entry.op.kind == QueueOp.Kind.CONSUME;
    boolean raced = consumes ? checks.removedSince(index) : checks.addedSince(index);
    int level = raced ? QueueSites.RACED
        : entry.op.blocks() ? QueueSites.BLOCKING : QueueSites.WARNING;
    if (entry.raise(pair, level)) {
      String interferer = raced ? interferer(ts, state, consumes) : state.otherThan(ts);
      QueueFindings.report(new QueueFindings.Pair(checkSite, actSite, entry.op, level,
          ts.thread.getName(), interferer, state));
    }
  }

  /** The thread that changed the queue last, unless that was this thread. */
  private static String interferer(PerThread ts, QueueState state, boolean consumes) {
    long id = consumes ? state.lastRemoverId : state.lastAdderId;
    String name = consumes ? state.lastRemover : state.lastAdder;
    return id == ts.threadId ? null : name;
  }

  /** Reports the pairs that ran exempt on a queue that is now shared with no common lock. */
  private static void reportRemembered(PerThread ts, QueueState state) {
    QueueState.Remembered[] remembered = state.drainRemembered();
    if (remembered == null) {
      return;
    }
    String toucher = ts.thread.getName();
    for (QueueState.Remembered pair : remembered) {
      QueueSites.Entry entry = QueueSites.get(pair.actSite());
      int index = entry == null ? -1 : indexOf(entry.checks, pair.checkSite());
      if (index < 0) {
        continue;
      }
      int level = entry.op.blocks() ? QueueSites.BLOCKING : QueueSites.WARNING;
      if (entry.raise(index, level)) {
        String other = pair.thread().equals(toucher) ? state.otherThan(ts) : toucher;
        QueueFindings.report(new QueueFindings.Pair(pair.checkSite(), pair.actSite(), entry.op,
            level, pair.thread(), other, state));
      }
    }
  }

  private static int indexOf(int[] sites, int site) {
    for (int i = 0; i < sites.length; i++) {
      if (sites[i] == site) {
        return i;
      }
    }
    return -1;
  }
}
