package dev.lockguard.internal.latch;

import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Statistics;
import dev.lockguard.internal.core.PerThread;
import dev.lockguard.internal.core.Sites;

import dev.lockguard.report.Violation.Severity;
import dev.lockguard.internal.latch.LatchRecord.LatchUser;
import dev.lockguard.internal.latch.LatchReports.Draft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * The {@code REUSED_LATCH} rules: an event cleared after it was set, a latch replaced in its
 * field while threads wait on the old one or after it opened, a barrier reset under waiting
 * parties, a thread looping through a latch that opened long ago, and a one-shot latch used as a
 * gate that every round opens anew ({@link GateRounds}).
 *
 * <p>Each entry point is one guarded step ({@link #run}): it does nothing without the agent or
 * inside another hook, never throws into the application, decides under {@link LatchTable#LOCK}
 * and reports after releasing it.
 */
public final class LatchDetector {
  /** Waits in a row on an open latch at one site, after blocking there once, that make a spin. */
  static final int SPIN_THRESHOLD = 1000;

  private LatchDetector() {}

  /** Starts the latch detector: contributes its counter to the report. */
  public static void start() {
    Statistics.contribute(Statistics.Stat.LATCHES, LatchTable::seen);
  }

  /** Forgets every latch and reported finding (unit tests only). */
  public static void reset() {
    LatchTable.reset();
    LatchReports.reset();
  }

  // ---- hook entry points ----------------------------------------------------------------------

  /**
   * Before a thread waits on {@code latch} ({@code arrives}: the wait is also an arrival, as on a
   * barrier; {@code phase}: the phase a phaser waiter waits to pass). Returns the latch's record
   * for {@link #endWait}, or null if not tracked.
   */
  static LatchRecord beginWait(Object latch, LatchKind kind, int site, long phase,
      boolean arrives) {
    return run(arrives ? Step.ARRIVE_AND_WAIT : Step.WAIT, latch, kind, null, site, phase);
  }

  /** After the wait that {@link #beginWait} announced; {@code completed} false if it gave up. */
  static void endWait(LatchRecord record, boolean completed) {
    if (record != null) {
      run(Step.END_WAIT, record, record.kind, null, Sites.UNKNOWN, completed ? 1 : 0);
    }
  }

  /** Before a signal that may open {@code latch}: a count-down, an arrival. */
  static void signal(Object latch, LatchKind kind, int site) {
    run(Step.SIGNAL, latch, kind, null, site, 0);
  }

  /** After an event (or a {@code latches=} class) was set: it is open from now on. */
  static void eventSet(Object latch) {
    if (Config.agentActive()) {
      run(Step.SET, latch, LatchKind.EVENT, null, LatchThread.current().takeSite(), 0);
    }
  }

  /** After an event was cleared: if it was open, it has just been re-armed. */
  static void eventCleared(Object latch) {
    if (Config.agentActive()) {
      run(Step.CLEAR, latch, LatchKind.EVENT, null, LatchThread.current().takeSite(), 0);
    }
  }

  /** Before an event's await: the site its caller announced, and the wait itself. */
  static void eventAwaitEnter(Object latch) {
    if (Config.agentActive()) {
      run(Step.WAIT, latch, LatchKind.EVENT, null, LatchThread.current().takeSite(), 0);
    }
  }

  /** After an event's await, however it ended. */
  static void eventAwaitExit(Object latch, boolean completed) {
    if (!Config.agentActive()) {
      return;
    }
    LatchRecord record;
    synchronized (LatchTable.LOCK) {
      record = LatchTable.find(latch);
    }
    endWait(record, completed);
  }

  /** Before {@code value} is stored in the field of {@code site}, replacing {@code old}. */
  static void fieldStore(Object value, Object old, int site) {
    run(Step.STORE, value, null, old, site, 0);
  }

  /** Remembers that {@code value} now lives in the field of {@code site} (a constructor's store). */
  static void fieldInit(Object value, int site) {
    if (value != null) {
      run(Step.STORE, value, null, value, site, 0);
    }
  }

  /** Before {@code CyclicBarrier.reset()}: resetting under waiting parties breaks their cycle. */
  static void barrierReset(CyclicBarrier barrier, int site) {
    run(Step.RESET, barrier, LatchKind.CYCLIC_BARRIER, null, site, 0);
  }

  // ---- one guarded step -----------------------------------------------------------------------

  /** What a hook asks the detector to do. */
  private enum Step {
    WAIT, ARRIVE_AND_WAIT, END_WAIT, SIGNAL, SET, CLEAR, STORE, RESET
  }

  /**
   * Runs one hook step: nothing without the agent or inside another hook (the thread's {@code
   * busy} flag), decided under {@link LatchTable#LOCK}, its finding published after the lock is
   * released, and never a throw into the application. Returns the latch's record, if any.
   *
   * @param latch the latch; the record itself for {@code END_WAIT}; the new value for {@code STORE}
   * @param other the old value for {@code STORE}
   * @param arg the phase for waits; 1 for a completed {@code END_WAIT}
   */
  private static LatchRecord run(Step step, Object latch, LatchKind kind, Object other, int site,
      long arg) {
    if (!Config.agentActive()) {
      return null;
    }
    PerThread thread = PerThread.current();
    LatchThread state = thread.get(LatchThread.SLOT);
    state.step = step;
    state.kind = kind;
    state.result = null;
    thread.run(RUN, state, latch, other, site, arg);
    LatchRecord record = state.result;
    state.result = null;
    return record;
  }

  /** The guarded part of {@link #run}: the step and kind come through the thread's latch state. */
  private static final PerThread.Step<LatchThread> RUN = (state, latch, other, site, arg) -> {
    Step step = (Step) state.step;
    LatchRecord record;
    Draft finding;
    synchronized (LatchTable.LOCK) {
      record = step == Step.END_WAIT ? (LatchRecord) latch
          : step == Step.STORE ? null : LatchTable.recordOf(latch, state.kind);
      finding = decide(step, record, latch, other, site, arg);
    }
    LatchReports.publish(finding);
    state.result = record;
  };

  private static Draft decide(Step step, LatchRecord record, Object latch, Object other,
      int site, long arg) {
    return switch (step) {
      case WAIT -> waiting(record, latch, site, arg);
      case ARRIVE_AND_WAIT -> {
        Draft lost = signalled(record, latch, site);
        Draft spinning = waiting(record, latch, site, arg);
        yield lost != null ? lost : spinning;
      }
      case END_WAIT -> waited(record, arg != 0);
      case SIGNAL -> signalled(record, latch, site);
      case SET -> opened(record, site);
      case CLEAR -> cleared(record, site);
      case STORE -> stored(latch, other, site);
      case RESET -> reset(record, (CyclicBarrier) latch, site);
    };
  }

  // ---- waits and signals ----------------------------------------------------------------------

  private static Draft waiting(LatchRecord record, Object latch, int site, long phase) {
    Thread me = Thread.currentThread();
    LatchUser user = use(record, me, site);
    user.awaited = true;
    user.seen = record.generation;
    LatchKind kind = record.kind;
    boolean open = kind.isOpen(latch, record.open);
    long mark = kind == LatchKind.PHASER ? phase : record.generation;
    if (!kind.cyclic) {
      GateRounds.awaiting(record, user, site, open);
    }
    if (record.addWaiter(me, mark) && !kind.cyclic) {
      return spin(record, site, open);
    }
    return null;
  }

  private static Draft waited(LatchRecord record, boolean completed) {
    Thread me = Thread.currentThread();
    if (!record.removeWaiter(me)) {
      return null;
    }
    use(record, me, Sites.UNKNOWN).seen = record.generation;
    return afterReplacedWait(record, completed);
  }

  private static Draft signalled(LatchRecord record, Object latch, int site) {
    use(record, Thread.currentThread(), site);
    Draft lost = lostWakeUp(record, site);
    if (record.kind.cyclic) {
      return lost; // barriers and phasers open every cycle by design
    }
    Draft reused = GateRounds.signalling(record, site, record.kind.isOpen(latch, record.open));
    return lost != null ? lost : reused;
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

  private static Draft spin(LatchRecord record, int site, boolean open) {
    if (!LatchThread.current().countsSpin(record, site, open, SPIN_THRESHOLD)) {
      return null;
    }
    String at = LatchReports.siteFrame(site);
    String message = "Thread \"" + Thread.currentThread().getName() + "\" awaited "
        + LatchReports.describe(record) + " " + SPIN_THRESHOLD + " times in a row at " + at
        + " after it had opened: it expects the latch to re-arm, but a latch stays open, so this"
        + " loop spins instead of waiting." + LatchReports.ADVICE;
    return new Draft(Severity.WARNING, "spin", message, LatchReports.name(record), record.type,
        List.of(at), Thread.currentThread(), true, List.of());
  }

  // ---- events: set and clear ----------------------------------------------------------------

  private static Draft opened(LatchRecord record, int site) {
    use(record, Thread.currentThread(), site);
    boolean wasOpen = record.open;
    if (!wasOpen) {
      record.open = true;
      record.generation++;
    }
    Draft lost = lostWakeUp(record, site);
    Draft reused = GateRounds.signalling(record, site, wasOpen);
    return lost != null ? lost : reused;
  }

  private static Draft cleared(LatchRecord record, int site) {
    use(record, Thread.currentThread(), site);
    if (!record.open) {
      return null;
    }
    record.open = false;
    GateRounds.rearmed(record);
    return rearmed(record, site);
  }

  /**
   * The finding for a clear of an open event: an error if threads were still waiting (woken by
   * the set but not yet returned) or if a thread that awaited it before has not seen this set;
   * else a warning.
   */
  private static Draft rearmed(LatchRecord record, int site) {
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
          + LatchReports.quoted(missed) + ", which awaited it before, "
          + (missed.size() == 1 ? "was not waiting: it" : "were not waiting: they")
          + " missed this set and will wait for the next one." + LatchReports.ADVICE;
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

  /** {@code value} stored in the field of {@code site} where {@code old} was (or is, at init). */
  private static Draft stored(Object value, Object old, int site) {
    LatchRecord fresh = value == null ? null : storedIn(value, site);
    LatchRecord prior = old == null || old == value ? null : LatchTable.find(old);
    return prior == null ? null : replaced(prior, old, fresh, site);
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
  private static Draft replaced(LatchRecord prior, Object old, LatchRecord fresh, int site) {
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
    if (!prior.kind.isOpen(old, prior.open)) {
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
  private static Draft lostWakeUp(LatchRecord record, int signalSite) {
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
  private static Draft afterReplacedWait(LatchRecord record, boolean completed) {
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
  private static Draft lost(LatchRecord prior, String how, String where, boolean actorWaits) {
    prior.lostReported = true;
    String at = Sites.get(prior.replaceSite).toString();
    List<Thread> waiters = prior.waiters();
    int stranded = waiters.size() + (actorWaits ? 1 : 0);
    String message = LatchReports.describe(prior) + " was replaced at " + at + " by \""
        + prior.replacer + "\" while " + LatchReports.threads(stranded)
        + " still waited on the old instance, and " + how + ": "
        + (stranded == 1 ? "the thread waiting on the old one is" : "the threads waiting on the"
        + " old one are") + " never woken (a lost wake-up). Open the old latch before replacing it, or hand"
        + " each round a fresh latch before anyone waits on it; a Phaser does this for you.";
    return new Draft(Severity.ERROR, "replaced-while-waiting", message,
        LatchReports.name(prior), prior.type, List.of(at, where), Thread.currentThread(),
        actorWaits, waiters);
  }

  // ---- barriers -------------------------------------------------------------------------------

  private static Draft reset(LatchRecord record, CyclicBarrier barrier, int site) {
    int waitingParties = barrier.getNumberWaiting();
    if (waitingParties == 0) {
      return null;
    }
    use(record, Thread.currentThread(), site);
    String at = Sites.get(site).toString();
    String message = LatchReports.describe(record) + " was reset at " + at + " while "
        + waitingParties + (waitingParties == 1 ? " party waited on it: it gets"
        : " parties waited on it: they get") + " BrokenBarrierException instead of "
        + (waitingParties == 1 ? "its" : "their") + " cycle. Reset a barrier only when no party"
        + " waits, or let it advance through its cycles.";
    return finding(Severity.ERROR, "reset-while-waiting", message, record, at, record.waiters());
  }

  private static Draft finding(Severity severity, String tag, String message,
      LatchRecord record, String site, List<Thread> others) {
    return new Draft(severity, tag, message, LatchReports.name(record), record.type,
        List.of(site), Thread.currentThread(), false, others);
  }
}
