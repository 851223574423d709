package dev.lockguard.internal.latch;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Ledger;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.internal.core.Stacks;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.report.Violation.WaiterRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the latch detector decided into {@code REUSED_LATCH} reports: the latch named after
 * its field, the sites, and every thread involved with its stack.
 *
 * <p>Findings are decided under {@link LatchTable#LOCK} and published after it is released, since
 * publishing captures other threads' stacks and writes the report file.
 */
final class LatchReports {
  /** The advice every re-arming finding ends with. */
  static final String ADVICE = " A latch or event is single-use: for a repeating signal use a"
      + " Condition with a generation counter, a Phaser, or a fresh latch per round handed over"
      + " before anyone waits on it.";

  /** The ids reported, so that a finding is published once and then only upgraded. */
  private static final Ledger<String, Void> REPORTED = new Ledger<>();

  private LatchReports() {}

  /**
   * A decision to report, made under the table lock: worded into a {@code Violation} after it.
   * {@code others} are listed with their stacks as waiters; {@code named} are threads involved
   * that are not waiting now (they are listed without a stack).
   */
  record Draft(Severity severity, String tag, String message, String latch, String type,
      List<String> sites, Thread actor, boolean actorWaits, List<Thread> others,
      List<String> named) {
    Draft(Severity severity, String tag, String message, String latch, String type,
        List<String> sites, Thread actor, boolean actorWaits, List<Thread> others) {
      this(severity, tag, message, latch, type, sites, actor, actorWaits, others, List.of());
    }
  }

  /** The name a report gives the latch: the field it lives in, else {@code Type@hash}. */
  static String name(LatchRecord record) {
    if (record.field != null) {
      return record.field;
    }
    return LockNames.simpleName(record.type) + "@" + Integer.toHexString(record.hash);
  }

  /** {@code CountDownLatch Gate.ready}: the latch's simple type, then its name. */
  static String describe(LatchRecord record) {
    return LockNames.simpleName(record.type) + " " + name(record);
  }

  /** The frame of a site, or of the first application frame on this thread's stack if unknown. */
  static String siteFrame(int site) {
    if (site != Sites.UNKNOWN) {
      return Sites.get(site).toString();
    }
    StackTraceElement[] stack = Stacks.current(Stacks.Trim.LATCH);
    return stack.length > 0 ? stack[0].toString() : "unknown";
  }

  /** {@code "a" and "b"}. */
  static String quoted(List<Thread> threads) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < threads.size(); i++) {
      if (i > 0) {
        text.append(i == threads.size() - 1 ? " and " : ", ");
      }
      text.append('"').append(threads.get(i).getName()).append('"');
    }
    return text.toString();
  }

  static String threads(int count) {
    return count == 1 ? "1 thread" : count + " threads";
  }

  /** Reports {@code finding} unless the same id was already reported at this severity or worse. */
  static void publish(Draft finding) {
    if (finding == null) {
      return;
    }
    List<String> idParts = new ArrayList<>(finding.sites());
    idParts.add(finding.tag());
    String id = Findings.stableId(Kind.REUSED_LATCH, idParts);
    Findings.publishOnce(REPORTED, id, finding.severity(), () -> toViolation(id, finding));
  }

  /** Forgets what was reported (unit tests only). */
  static void reset() {
    REPORTED.clear();
  }

  /** The finding with every thread involved, and the stacks of those that wait. */
  private static Violation toViolation(String id, Draft finding) {
    List<String> threadNames = new ArrayList<>();
    List<WaiterRef> waiters = new ArrayList<>();
    threadNames.add(finding.actor().getName());
    if (finding.actorWaits()) {
      waiters.add(new WaiterRef(finding.actor().getName(), finding.latch(),
          Findings.frames(Stacks.current(Stacks.Trim.LATCH))));
    }
    for (Thread other : finding.others()) {
      if (!threadNames.contains(other.getName())) {
        threadNames.add(other.getName());
      }
      waiters.add(new WaiterRef(other.getName(), finding.latch(),
          Findings.frames(Stacks.trim(other.getStackTrace(), Stacks.Trim.LATCH))));
    }
    for (String name : finding.named()) {
      if (!threadNames.contains(name)) {
        threadNames.add(name);
      }
    }
    return new Violation(id, Kind.REUSED_LATCH, finding.severity(), finding.message(),
        threadNames, List.of(new LockRef(finding.latch(), finding.type())), List.of(),
        finding.sites(), waiters);
  }
}
