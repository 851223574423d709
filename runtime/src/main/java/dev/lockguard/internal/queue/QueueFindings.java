package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.Site;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Words an {@code UNSAFE_QUEUE_CHECK} finding: what went stale, what follows on this queue
 * ({@link Consequence}), and the fix that fits it.
 */
final class QueueFindings {
  private static final String ONE_LOCK = "hold one lock around the check and the act in every"
      + " thread that uses the queue";
  private static final String LIMIT = "the limit the check was to keep, by as many elements as"
      + " threads race here";

  private QueueFindings() {}

  /**
   * A pair to report: {@code thread} ran check then act, the check having returned {@code seen};
   * {@code other} is the thread that changed the queue in between ({@code raced}; null if unknown),
   * or another one on the same side of the queue.
   */
  record Pair(int checkSite, int actSite, QueueOp act, Consequence consequence, int seen,
      boolean raced, String thread, String other, QueueState queue) {}

  static void report(Pair pair) {
    Findings.report(toViolation(pair));
  }

  static Violation toViolation(Pair pair) {
    Site check = Sites.get(pair.checkSite());
    Site act = Sites.get(pair.actSite());
    List<String> sites = new ArrayList<>();
    sites.add(check.toString());
    for (int actSite : actsOf(pair)) {
      sites.add(Sites.get(actSite).toString());
    }
    List<String> threads = new ArrayList<>();
    threads.add(pair.thread());
    if (pair.other() != null && !pair.other().equals(pair.thread())) {
      threads.add(pair.other());
    }
    String queueName = queueName(pair, check, act);
    return new Violation(Findings.stableId(Kind.UNSAFE_QUEUE_CHECK, sites),
        Kind.UNSAFE_QUEUE_CHECK, pair.consequence().severity,
        message(pair, queueName, check, act), threads,
        List.of(new LockRef(queueName, pair.queue().type)), List.of(), sites)
        .withObserved(pair.raced()); // outranks "no lock in common" at one severity
  }

  static String message(Pair pair, String queueName, Site check, Site act) {
    QueueOp checkOp = checkOp(pair.checkSite());
    Consequence consequence = pair.consequence();
    boolean consumes = consequence.consumes();
    StringBuilder text = new StringBuilder(600)
        .append("Unsafe queue check on ").append(queueName).append(": thread \"")
        .append(pair.thread()).append("\" called ").append(checkOp.display()).append(" at ")
        .append(shortFrame(check)).append(" and then ").append(pair.act().display())
        .append(" at ").append(shortFrame(act));
    appendOtherActs(text, pair);
    if (pair.raced()) {
      text.append(", and ").append(named(pair.other())).append(consumes ? " removed" : " added")
          .append(" an element in between (race observed), so ");
    } else {
      text.append(", with no lock in common with ").append(named(pair.other()))
          .append(", another ").append(consumes ? "consumer" : "producer")
          .append(" of the queue; if ").append(condition(consequence)).append(" in between, ");
    }
    int capacity = pair.queue().knownCapacity();
    int size = Consequence.sizeSeen(checkOp, pair.seen(), capacity);
    return text.append(outcome(consequence, pair.act(), pair.queue().type, capacity, size))
        .append(". ").append(fix(consequence, pair.act())).toString();
  }

  /**
   * The check's acts: the one that ran first, then the others it decides in the order the agent
   * registered them. One check is one bug, whichever branch a thread took after it.
   */
  private static int[] actsOf(Pair pair) {
    QueueSites.Entry check = QueueSites.get(pair.checkSite());
    int[] registered = check == null ? new int[0] : check.acts;
    int[] acts = new int[registered.length + 1];
    acts[0] = pair.actSite();
    int count = 1;
    for (int site : registered) {
      if (site != pair.actSite()) {
        acts[count++] = site;
      }
    }
    return Arrays.copyOf(acts, count);
  }

  /** {@code  (the same check also decides addLast(e) at Pool.java:12)} if it decides others. */
  private static void appendOtherActs(StringBuilder text, Pair pair) {
    int[] acts = actsOf(pair);
    for (int i = 1; i < acts.length; i++) {
      QueueSites.Entry act = QueueSites.get(acts[i]);
      text.append(i == 1 ? " (the same check also decides " : i == acts.length - 1 ? " and " : ", ")
          .append(act == null ? "an act" : act.op.display()).append(" at ")
          .append(shortFrame(Sites.get(acts[i])));
      if (i == acts.length - 1) {
        text.append(')');
      }
    }
  }

  /** Who makes the check stale, and how. */
  private static String condition(Consequence consequence) {
    return switch (consequence) {
      case BLOCKS_WHEN_EMPTY, THROWS_WHEN_EMPTY, NULL_WHEN_EMPTY ->
          "another thread empties the queue";
      case BLOCKS_WHEN_FULL, THROWS_WHEN_FULL, FALSE_WHEN_FULL -> "another thread fills the queue";
      case SHRINKS_PAST_LIMIT -> "other threads take from the queue";
      case GROWS_PAST_LIMIT -> "other threads add to the queue";
    };
  }

  /** What follows, on this queue. */
  static String outcome(Consequence consequence, QueueOp act, String type, int capacity,
      int size) {
    String call = act.display();
    return switch (consequence) {
      case BLOCKS_WHEN_EMPTY -> call + " blocks until another element arrives, for ever if none"
          + " does";
      case THROWS_WHEN_EMPTY -> call + " throws NoSuchElementException";
      case NULL_WHEN_EMPTY -> call + " returns null";
      case BLOCKS_WHEN_FULL -> call + " blocks until another thread makes room, for ever if none"
          + " does" + capacityOf(capacity);
      case THROWS_WHEN_FULL -> call + " throws IllegalStateException" + capacityOf(capacity);
      case FALSE_WHEN_FULL -> call + " returns false and the element is not queued"
          + capacityOf(capacity);
      case SHRINKS_PAST_LIMIT -> "the queue may shrink below " + LIMIT + "; " + call + " "
          + fails(act) + " only if they empty it" + heldAtCheck(size);
      case GROWS_PAST_LIMIT -> "the queue may grow past " + LIMIT + "; "
          + boundNote(act, type, capacity, size);
    };
  }

  /** Whether the producer's act itself can fail on a queue of {@code capacity}. */
  private static String boundNote(QueueOp act, String type, int capacity, int size) {
    String call = act.display();
    if (capacity == QueueCapacity.UNBOUNDED) {
      return call + " itself cannot fail, as this " + LockNames.simpleName(type)
          + " is unbounded";
    }
    if (Consequence.bounded(capacity)) {
      return call + " " + fails(act) + " only if they also fill the queue's capacity of "
          + capacity + heldAtCheck(size);
    }
    return "lockguard does not run " + LockNames.simpleName(type) + "'s own code to learn"
        + " whether it is bounded; if it is, " + call + " " + fails(act) + " once it is full";
  }

  /** How the act fails on an empty (consumer) or full (producer) queue. */
  private static String fails(QueueOp act) {
    if (act.blocks()) {
      return "blocks";
    }
    if (act.kind == QueueOp.Kind.CONSUME) {
      return act.nullMeansNothing() ? "returns null" : "throws NoSuchElementException";
    }
    return act.shape == QueueOp.Shape.BOOLEAN && act != QueueOp.ADD
        ? "returns false" : "throws IllegalStateException";
  }

  private static String capacityOf(int capacity) {
    return Consequence.bounded(capacity) ? " (the queue's capacity is " + capacity + ")" : "";
  }

  private static String heldAtCheck(int size) {
    return size < 0 ? "" : " (it held " + size + (size == 1 ? " element" : " elements")
        + " at the check)";
  }

  /** The fix that fits what goes wrong. */
  static String fix(Consequence consequence, QueueOp act) {
    return switch (consequence) {
      case BLOCKS_WHEN_EMPTY -> "Fix: call poll(timeout) and handle null (stop consumers with a"
          + " sentinel element), or " + ONE_LOCK + ".";
      case THROWS_WHEN_EMPTY -> "Fix: call " + nullForm(act) + " and handle null instead of"
          + " checking first, or " + ONE_LOCK + ".";
      case NULL_WHEN_EMPTY -> "Fix: handle " + act.display() + "'s null (the check then adds"
          + " nothing), or " + ONE_LOCK + ".";
      case BLOCKS_WHEN_FULL -> "Fix: call offer(e, timeout) and handle false, or " + ONE_LOCK
          + ".";
      case THROWS_WHEN_FULL -> "Fix: call " + falseForm(act) + " and handle false instead of"
          + " checking first, or " + ONE_LOCK + ".";
      case FALSE_WHEN_FULL -> "Fix: handle " + act.display() + "'s false (the check then adds"
          + " nothing), or " + ONE_LOCK + ".";
      case GROWS_PAST_LIMIT -> "Fix: if the limit must hold, reserve a slot before the add: a"
          + " counter (an AtomicInteger incremented and compared with the limit first,"
          + " decremented when an element leaves) or a Semaphore with a permit per slot"
          + " (tryAcquire() before the add, release() when an element leaves); or " + ONE_LOCK
          + ". If a few elements over the limit do no harm, accept the overshoot.";
      case SHRINKS_PAST_LIMIT -> "Fix: if the limit must hold, reserve an element before the"
          + " take: a counter (an AtomicInteger decremented and compared with the limit first)"
          + " or a Semaphore with a permit per element; or " + ONE_LOCK + ". If a few elements"
          + " under the limit do no harm, accept it.";
    };
  }

  /** The call that answers null instead of throwing on an empty queue. */
  private static String nullForm(QueueOp act) {
    return switch (act) {
      case REMOVE_FIRST, POP -> "pollFirst()";
      case REMOVE_LAST -> "pollLast()";
      case ELEMENT -> "peek()";
      case GET_FIRST -> "peekFirst()";
      case GET_LAST -> "peekLast()";
      default -> "poll()";
    };
  }

  /** The call that answers false instead of throwing on a full queue. */
  private static String falseForm(QueueOp act) {
    return switch (act) {
      case ADD_FIRST, PUSH -> "offerFirst(e)";
      case ADD_LAST -> "offerLast(e)";
      default -> "offer(e)";
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
