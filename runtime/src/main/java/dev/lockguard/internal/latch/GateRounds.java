package dev.lockguard.internal.latch;

import dev.lockguard.internal.core.Sites;

import dev.lockguard.internal.latch.LatchRecord.LatchUser;
import dev.lockguard.internal.latch.LatchReports.Draft;
import dev.lockguard.report.Violation.Severity;
import java.util.List;

/**
 * The repeating-gate rule: a one-shot latch (a {@code CountDownLatch}, an event) used as a gate
 * that every round opens anew, like a restartable server whose {@code start()} awaits a final
 * {@code ready} latch that each new worker counts down once it listens.
 *
 * <p>A thread's round at an await site ends when it blocked there on the closed latch and the
 * latch opened. When the thread comes back to that site, the latch is still open and the await
 * returns at once: a later round. The rule fires when, after that return, the latch is signalled
 * again (counted down while open, set while set) at a site that signalled it while it was closed:
 * the side that opened it in the earlier round opens it again, and the await that was meant to
 * wait for this signal has already run on. That is a lost wake-up, an {@code ERROR}.
 *
 * <p>Silent by construction: signals on the open latch with no thread back at a site where it
 * blocked (an idempotent {@code close()} counting down from several threads); threads passing the
 * open latch with no signal after them (a {@code started} latch every request awaits); a fresh
 * latch per round (every instance has a record of its own and is used once). Not seen: a new
 * signal that comes before the thread is back at its await (the await did not run ahead in that
 * run), and a round started by another thread than the one that blocked.
 *
 * <p>State lives in the latch's record and its users, under {@link LatchTable#LOCK}; nothing here
 * allocates except when a site first signals a closed latch.
 */
final class GateRounds {
  private GateRounds() {}

  /** A thread begins a wait on the latch at {@code site}; {@code open}: it will return at once. */
  static void awaiting(LatchRecord record, LatchUser user, int site, boolean open) {
    if (site == Sites.UNKNOWN) {
      return;
    }
    if (!open) {
      user.blockedSite = site;
    } else if (user.blockedSite == site) {
      record.returnedThread = Thread.currentThread().getName();
      record.returnedSite = site;
    }
  }

  /**
   * A signal at {@code site}, {@code open}: on a latch that was open already. Returns the finding
   * when a thread came back to its await and returned at once before this signal.
   */
  static Draft signalling(LatchRecord record, int site, boolean open) {
    if (site == Sites.UNKNOWN) {
      return null;
    }
    if (!open) {
      record.addOpeningSite(site);
      return null;
    }
    if (record.returnedThread == null || !record.isOpeningSite(site)) {
      return null;
    }
    return reused(record, site);
  }

  /** An event was cleared: it waits for its next set again, so no await has run ahead. */
  static void rearmed(LatchRecord record) {
    record.returnedThread = null;
  }

  private static Draft reused(LatchRecord record, int signalSite) {
    String awaited = Sites.get(record.returnedSite).toString();
    String signalled = Sites.get(signalSite).toString();
    Thread me = Thread.currentThread();
    String waiter = record.returnedThread;
    String again = record.kind == LatchKind.EVENT ? "set it again" : "counted it down again";
    String message = LatchReports.describe(record) + " is used as a gate that opens every round,"
        + " but it opens only once: \"" + waiter + "\" blocked on it at " + awaited + " until it"
        + " opened, came back to that await and returned at once, and then \"" + me.getName()
        + "\" " + again + " at " + signalled + ". The second await returned before this"
        + " signal, so the code after it ran before what the signal stands for (in a restart: the"
        + " new worker listening) had happened. Give each round a fresh latch, made and handed"
        + " over before anyone waits on it, or use a Phaser or a Condition with a generation"
        + " counter.";
    return new Draft(Severity.ERROR, "awaited-again-before-signal", message,
        LatchReports.name(record), record.type, List.of(awaited, signalled), me, false,
        List.of(), List.of(waiter));
  }
}
