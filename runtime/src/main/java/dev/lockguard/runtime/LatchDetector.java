package dev.lockguard.runtime;

import dev.lockguard.report.Violation.Severity;
import dev.lockguard.runtime.LatchRecord.LatchUser;
import dev.lockguard.runtime.LatchReports.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * The {@code REUSED_LATCH} rules: an event cleared after it was set, a latch replaced in its
 * field while threads wait on the old one or after it opened, a barrier reset under waiting
 * parties, and a thread looping through a latch that opened long ago.
 *
 * <p>Each entry point is a hook step: it does nothing without the agent or inside another hook
 * (the thread's {@code busy} flag), never throws into the application, decides under {@link
 * LatchTable#LOCK} and reports after releasing it.
 */
final class LatchDetector {
  /** Waits in a row on an open latch at one site, after blocking there once, that make a spin. */
  static final int SPIN_THRESHOLD = 1000;

  private LatchDetector() {}

  // ---- guard ----------------------------------------------------------------------------------

  /** The thread's state with its busy flag set, or null when this hook must only pass through. */
  private static ThreadState claim() {
    if (!Settings.agentActive) {
      return null;
    }
    ThreadState ts = ThreadState.current();
    if (ts.busy) {
      return null;
    }
    ts.busy = true;
    return ts;
  }

  // ---- waits and signals ----------------------------------------------------------------------

  /**
   * Before a thread waits on {@code latch} ({@code arrives}: the wait is also an arrival, as on a
   * barrier). Returns the latch's record for {@link #endWait}, or null if not tracked.
   */
  static LatchRecord beginWait(Object latch, LatchKind kind, int site, long phase,
      boolean arrives) {
    ThreadState ts = claim();
    if (ts == null) {
      return null;
    }
    try {
      Finding finding;
      LatchRecord record;
      synchronized (LatchTable.LOCK) {
        record = LatchTable.recordOf(latch, kind);
        finding = arrives ? lostWakeUp(record, site) : null;
        Thread me = Thread.currentThread();
        LatchUser user = use(record, me, site);
        user.awaited = true;
        user.seen = record.generation;
        boolean open = kind.isOpen(record, latch);
        long mark = kind == LatchKind.PHASER ? phase : record.generation;
        if (record.addWaiter(me, mark) && !kind.cyclic) {
          Finding spinning = spin(record, site, open);
          finding = finding != null ? finding : spinning;
        }
      }
      LatchReports.publish(finding);
      return record;
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
      return null;
    } finally {
      ts.busy = false;
    }
  }

  /** After the wait that {@link #beginWait} announced; {@code completed} false if it gave up. */
  static void endWait(LatchRecord record, boolean completed) {
    if (record == null) {
      return;
    }
    ThreadState ts = claim();
    if (ts == null) {
      return;
    }
    try {
      Finding finding = null;
      synchronized (LatchTable.LOCK) {
        Thread me = Thread.currentThread();
        if (record.removeWaiter(me)) {
          use(record, me, Sites.UNKNOWN).seen = record.generation;
          finding = afterReplacedWait(record, completed);
        }
      }
      LatchReports.publish(finding);
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
    } finally {
      ts.busy = false;
    }
  }

  /** Before a signal that may open {@code latch}: a count-down, an arrival, an event's set. */
  static void signal(Object latch, LatchKind kind, int site) {
    ThreadState ts = claim();
    if (ts == null) {
      return;
    }
    try {
      Finding finding;
      synchronized (LatchTable.LOCK) {
        LatchRecord record = LatchTable.recordOf(latch, kind);
        use(record, Thread.currentThread(), site);
        finding = lostWakeUp(record, site);
      }
      LatchReports.publish(finding);
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
    } finally {
      ts.busy = false;
    }
  }

  /** Records that the thread used the latch, and through which field it read it. */
  private static LatchUser use(LatchRecord record, Thread me, int site) {
    LatchUser user = record.user(me);
    String field = site == Sites.UNKNOWN ? null : Sites.get(site).lockName();
    if (field != null) {
      user.field = field;
      if (record.field == null) {
        record.field = field;
      }
    }
    return user;
  }

  private static Finding spin(LatchRecord record, int site, boolean open) {
    if (!LatchThread.current().countsSpin(record, site, open, SPIN_THRESHOLD)) {
      return null;
    }
    String at = LatchReports.siteFrame(site);
    String message = "Thread \"" + Thread.currentThread().getName() + "\" awaited "
        + LatchReports.describe(record) + " " + SPIN_THRESHOLD + " times in a row at " + at
        + " after it had opened: it expects the latch to re-arm, but a latch stays open, so this"
        + " loop spins instead of waiting." + LatchReports.ADVICE;
    return new Finding(Severity.WARNING, "spin", message, LatchReports.name(record), record.type,
        List.of(at), Thread.currentThread(), true, List.of());
  }

  // ---- events: set and clear ------------------------------------------------------------------

  /** After an event (or a {@code latches=} class) was set: it is open from now on. */
  static void eventSet(Object latch) {
    ThreadState ts = claim();
    if (ts == null) {
      return;
    }
    try {
      int site = LatchThread.current().takeSite();
      Finding finding;
      synchronized (LatchTable.LOCK) {
        LatchRecord record = LatchTable.recordOf(latch, LatchKind.EVENT);
        use(record, Thread.currentThread(), site);
        if (!record.open) {
          record.open = true;
          record.generation++;
        }
        finding = lostWakeUp(record, site);
      }
      LatchReports.publish(finding);
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
    } finally {
      ts.busy = false;
    }
  }

  /** After an event was cleared: if it was open, it has just been re-armed. */
  static void eventCleared(Object latch) {
    ThreadState ts = claim();
    if (ts == null) {
      return;
    }
    try {
      int site = LatchThread.current().takeSite();
      Finding finding = null;
      synchronized (LatchTable.LOCK) {
        LatchRecord record = LatchTable.recordOf(latch, LatchKind.EVENT);
        use(record, Thread.currentThread(), site);
        if (record.open) {
          record.open = false;
          finding = rearmed(record, site);
        }
      }
      LatchReports.publish(finding);
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
    } finally {
      ts.busy = false;
    }
  }

  /** Before an event's await: the site its caller announced, and the wait itself. */
  static void eventAwaitEnter(Object latch) {
    if (Settings.agentActive) {
      beginWait(latch, LatchKind.EVENT, LatchThread.current().takeSite(), 0, false);
    }
  }

  /** After an event's await, however it ended. */
  static void eventAwaitExit(Object latch, boolean completed) {
    if (!Settings.agentActive) {
      return;
    }
    LatchRecord record;
    synchronized (LatchTable.LOCK) {
      record = LatchTable.find(latch);
    }
    endWait(record, completed);
  }

  /**
   * The finding for a clear of an open event: an error if threads were still waiting (woken by
   * the set but not yet returned) or if a thread that awaited it before has not seen this set;
   * else a warning.
   */
  private static Finding rearmed(LatchRecord record, int site) {
    String at = LatchReports.siteFrame(site);
    String what = LatchReports.describe(record);
    Thread me = Thread.currentThread();
    if (record.waitingCount > 0) {
      List<Thread> waiters = record.waiters();
      String message = what + " was cleared at " + at + " while " + LatchReports.threads(
          waiters.size()) + " still waited on it (" + LatchReports.quoted(waiters) + "): woken by"
          + " the set but not yet returned, a waiter that looks again after the clear misses the"
          + " signal." + LatchReports.ADVICE;
      return finding(Severity.ERROR, "cleared-while-waiting", message, record, at, waiters);
    }
    List<Thread> missed = missedTheSet(record, me);
    if (!missed.isEmpty()) {
      String message = what + " was set and cleared again at " + at + " while "
          + LatchReports.quoted(missed) + ", which awaited it before, was not waiting: "
          + (missed.size() == 1 ? "it" : "they") + " missed this set and will wait for the next"
          + " one." + LatchReports.ADVICE;
      return finding(Severity.ERROR, "cleared-before-waiter-saw-set", message, record, at, missed);
    }
    String message = what + " was cleared at " + at + " after it was set, which re-arms it: a"
        + " waiter that comes late misses the set, and one that looks before the clear runs on."
        + LatchReports.ADVICE;
    return finding(Severity.WARNING, "cleared", message, record, at, List.of());
  }

  /** Live threads, other than {@code me}, that awaited the event before and not since it opened. */
  private static List<Thread> missedTheSet(LatchRecord record, Thread me) {
    List<Thread> missed = new ArrayList<>();
    for (int i = 0; i < record.users.size(); i++) {
      LatchUser user = record.users.get(i);
      Thread thread = user.aliveOther(me);
      if (thread != null && user.awaited && user.seen < record.generation
          && !record.isWaiting(thread)) {
        missed.add(thread);
      }
    }
    return missed;
  }

  // ---- fields: a latch replaced ---------------------------------------------------------------

  /** Before {@code value} is stored in the field of {@code site}, replacing {@code old}. */
  static void fieldStore(Object value, Object old, int site) {
    ThreadState ts = claim();
    if (ts == null) {
      return;
    }
    try {
      Finding finding = null;
      synchronized (LatchTable.LOCK) {
        LatchRecord fresh = value == null ? null : storedIn(value, site);
        LatchRecord prior = old == null || old == value ? null : LatchTable.find(old);
        if (prior != null) {
          finding = replaced(prior, old, fresh, site);
        }
      }
      LatchReports.publish(finding);
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
    } finally {
      ts.busy = false;
    }
  }

  /** Remembers that {@code value} now lives in the field of {@code site}. */
  static void fieldInit(Object value, int site) {
    if (value == null) {
      return;
    }
    ThreadState ts = claim();
    if (ts == null) {
      return;
    }
    try {
      synchronized (LatchTable.LOCK) {
        storedIn(value, site);
      }
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
    } finally {
      ts.busy = false;
    }
  }

  private static LatchRecord storedIn(Object value, int site) {
    LatchRecord record = LatchTable.recordOf(value, LatchKind.of(value));
    String field = Sites.get(site).lockName();
    if (field != null) {
      record.field = field;
    }
    return record;
  }

  /**
   * A latch replaced in its field. With threads still waiting on it nothing is decided yet: the
   * old latch may still be opened (a hand-over); it is a lost wake-up once the new one is
   * signalled or a waiter gives up first. Replacing an open latch that other threads keep reading
   * through the field is a warning.
   */
  private static Finding replaced(LatchRecord prior, Object old, LatchRecord fresh, int site) {
    Thread me = Thread.currentThread();
    if (prior.hasUnreleasedWaiter(old)) {
      prior.replaced = true;
      prior.replaceSite = site;
      prior.replacer = me.getName();
      prior.lostReported = false;
      if (fresh != null) {
        fresh.predecessor = prior;
      }
      return null;
    }
    if (!prior.kind.isOpen(prior, old)) {
      return null;
    }
    List<Thread> readers = readersOf(prior, Sites.get(site).lockName(), me);
    if (readers.isEmpty()) {
      return null;
    }
    String at = Sites.get(site).toString();
    String message = LatchReports.describe(prior) + " was replaced at " + at + " after it had"
        + " opened, while " + LatchReports.quoted(readers) + " keep" + (readers.size() == 1 ? "s"
        : "") + " reading the field: a reader that reads it just before the store finds the old,"
        + " open latch and runs on without waiting." + LatchReports.ADVICE;
    return finding(Severity.WARNING, "replaced-after-open", message, prior, at, readers);
  }

  /** Live threads other than {@code me} that used the latch through {@code field}. */
  private static List<Thread> readersOf(LatchRecord record, String field, Thread me) {
    List<Thread> readers = new ArrayList<>();
    if (field == null) {
      return readers;
    }
    for (int i = 0; i < record.users.size(); i++) {
      LatchUser user = record.users.get(i);
      Thread thread = user.aliveOther(me);
      if (thread != null && field.equals(user.field)) {
        readers.add(thread);
      }
    }
    return readers;
  }

  /**
   * A signal on the latch that replaced one with waiters still stuck on it: the wake-up went to
   * the new instance and is lost for them.
   */
  private static Finding lostWakeUp(LatchRecord record, int signalSite) {
    LatchRecord prior = record.predecessor;
    if (prior == null || !prior.replaced || prior.lostReported) {
      return null;
    }
    Object old = prior.get();
    if (old == null || !prior.hasUnreleasedWaiter(old)) {
      return null;
    }
    String signalled = LatchReports.siteFrame(signalSite);
    return lost(prior, "the new one was signalled at " + signalled, signalled, false);
  }

  /** A waiter of a replaced latch ended: a give-up proves the wake-up lost, a release clears it. */
  private static Finding afterReplacedWait(LatchRecord record, boolean completed) {
    if (!record.replaced || record.lostReported) {
      return null;
    }
    if (!completed) {
      String at = LatchReports.siteFrame(Sites.UNKNOWN);
      return lost(record, "\"" + Thread.currentThread().getName() + "\" gave up waiting on the"
          + " old one at " + at, at, true);
    }
    if (record.waitingCount == 0) {
      record.replaced = false; // the old latch was opened after all: a hand-over
    }
    return null;
  }

  /**
   * The lost wake-up finding; {@code actorWaits} when the current thread is the waiter that gave
   * up (it no longer counts among the waiters).
   */
  private static Finding lost(LatchRecord prior, String how, String where, boolean actorWaits) {
    prior.lostReported = true;
    String at = Sites.get(prior.replaceSite).toString();
    List<Thread> waiters = prior.waiters();
    int stranded = waiters.size() + (actorWaits ? 1 : 0);
    String message = LatchReports.describe(prior) + " was replaced at " + at + " by \""
        + prior.replacer + "\" while " + LatchReports.threads(stranded)
        + " still waited on the old instance, and " + how + ": the threads waiting on the old"
        + " one are never woken (a lost wake-up). Open the old latch before replacing it, or hand"
        + " each round a fresh latch before anyone waits on it; a Phaser does this for you.";
    return new Finding(Severity.ERROR, "replaced-while-waiting", message,
        LatchReports.name(prior), prior.type, List.of(at, where), Thread.currentThread(),
        actorWaits, waiters);
  }

  // ---- barriers -------------------------------------------------------------------------------

  /** Before {@code CyclicBarrier.reset()}: resetting under waiting parties breaks their cycle. */
  static void barrierReset(CyclicBarrier barrier, int site) {
    ThreadState ts = claim();
    if (ts == null) {
      return;
    }
    try {
      int waitingParties = barrier.getNumberWaiting();
      if (waitingParties == 0) {
        return;
      }
      Finding finding;
      synchronized (LatchTable.LOCK) {
        LatchRecord record = LatchTable.recordOf(barrier, LatchKind.CYCLIC_BARRIER);
        use(record, Thread.currentThread(), site);
        String at = Sites.get(site).toString();
        String message = LatchReports.describe(record) + " was reset at " + at + " while "
            + waitingParties + (waitingParties == 1 ? " party" : " parties") + " waited on it:"
            + " they get BrokenBarrierException instead of their cycle. Reset a barrier only when"
            + " no party waits, or let it advance through its cycles.";
        finding = finding(Severity.ERROR, "reset-while-waiting", message, record, at,
            record.waiters());
      }
      LatchReports.publish(finding);
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
    } finally {
      ts.busy = false;
    }
  }

  private static Finding finding(Severity severity, String tag, String message,
      LatchRecord record, String site, List<Thread> others) {
    return new Finding(severity, tag, message, LatchReports.name(record), record.type,
        List.of(site), Thread.currentThread(), false, others);
  }
}
