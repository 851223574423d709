package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.Site;
import dev.lockguard.internal.core.Sites;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.List;

/** Words an {@code UNSAFE_QUEUE_CHECK} finding: what went stale, what follows, and the fix. */
final class QueueFindings {
  private static final String CONSUMER_FIX = "Fix: call poll(timeout) and handle null (stop"
      + " consumers with a sentinel element), or hold one lock around the check and the act in"
      + " every thread that uses the queue.";
  private static final String PRODUCER_FIX = "Fix: call offer(e, timeout) and handle false, or"
      + " hold one lock around the check and the act in every thread that uses the queue.";

  private QueueFindings() {}

  /**
   * A pair to report: {@code thread} ran check then act; {@code other} is the thread that changed
   * the queue in between ({@code level} {@link QueueSites#RACED}), or one that also uses it.
   */
  record Pair(int checkSite, int actSite, QueueOp act, int level, String thread, String other,
      QueueState queue) {}

  static void report(Pair pair) {
    Findings.report(toViolation(pair));
  }

  static Violation toViolation(Pair pair) {
    Site check = Sites.get(pair.checkSite());
    Site act = Sites.get(pair.actSite());
    List<String> sites = List.of(check.toString(), act.toString());
    List<String> threads = new ArrayList<>();
    threads.add(pair.thread());
    if (pair.other() != null && !pair.other().equals(pair.thread())) {
      threads.add(pair.other());
    }
    String queueName = queueName(pair, check, act);
    Severity severity = pair.level() == QueueSites.WARNING ? Severity.WARNING : Severity.ERROR;
    return new Violation(Findings.stableId(Kind.UNSAFE_QUEUE_CHECK, sites),
        Kind.UNSAFE_QUEUE_CHECK, severity, message(pair, queueName, check, act), threads,
        List.of(new LockRef(queueName, pair.queue().type)), List.of(), sites)
        .withObserved(pair.level() == QueueSites.RACED); // outranks "no lock in common"
  }

  static String message(Pair pair, String queueName, Site check, Site act) {
    QueueOp checkOp = checkOp(pair.checkSite());
    QueueOp actOp = pair.act();
    boolean consumes = actOp.kind == QueueOp.Kind.CONSUME;
    StringBuilder text = new StringBuilder(400)
        .append("Unsafe queue check on ").append(queueName).append(": thread \"")
        .append(pair.thread()).append("\" called ").append(checkOp.display()).append(" at ")
        .append(shortFrame(check)).append(" and then ").append(actOp.display()).append(" at ")
        .append(shortFrame(act));
    if (pair.level() == QueueSites.RACED) {
      text.append(", and ").append(named(pair.other())).append(consumes ? " removed" : " added")
          .append(" an element in between (race observed), so ");
    } else {
      text.append(", with no lock in common with ").append(named(pair.other()))
          .append(", which also uses the queue; if another thread ")
          .append(consumes ? "empties" : "fills").append(" the queue in between, ");
    }
    text.append(actOp.display()).append(' ').append(consequence(actOp)).append(". ")
        .append(consumes ? CONSUMER_FIX : PRODUCER_FIX);
    return text.toString();
  }

  /** What the act does when the check it trusted went stale. */
  static String consequence(QueueOp act) {
    if (act.blocks()) {
      return "blocks for ever";
    }
    return switch (act) {
      case POLL, POLL_FIRST, POLL_LAST -> "returns null";
      case OFFER, OFFER_FIRST, OFFER_LAST ->
          "returns false, or the queue grows past the limit the check was to keep";
      case ADD, ADD_FIRST, ADD_LAST, PUSH ->
          "throws IllegalStateException, or the queue grows past the limit the check was to keep";
      default -> "throws NoSuchElementException";
    };
  }

  private static QueueOp checkOp(int checkSite) {
    QueueSites.Entry entry = QueueSites.get(checkSite);
    return entry == null ? QueueOp.SIZE : entry.op;
  }

  /** The field the bytecode read the queue from, else {@code SimpleType@hash}. */
  private static String queueName(Pair pair, Site check, Site act) {
    if (act.lockName() != null) {
      return act.lockName();
    }
    if (check.lockName() != null) {
      return check.lockName();
    }
    return LockNames.simpleName(pair.queue().type) + "@" + Integer.toHexString(pair.queue().hash);
  }

  private static String named(String thread) {
    return thread == null ? "another thread" : "thread \"" + thread + "\"";
  }

  private static String shortFrame(Site site) {
    return (site.fileName == null ? site.className : site.fileName) + ":" + site.line;
  }
}
