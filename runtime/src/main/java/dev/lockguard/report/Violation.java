package dev.lockguard.report;

import java.util.List;
import java.util.Objects;

/**
 * One finding of a detector, in the shape of the {@code lockguard-report/1} JSON schema.
 *
 * <p>Instances are immutable. Frames are {@link StackTraceElement#toString()} strings with the
 * agent's own frames already trimmed.
 *
 * <p>One bug is one finding: findings with the same id are folded into one ({@link
 * #mergedWith}), which shows the worst of them ({@link #isWorseThan}) and counts the rest
 * ({@link Counts}).
 */
public final class Violation {

  /** What kind of bug a violation describes. */
  public enum Kind {
    POTENTIAL_DEADLOCK,
    LOCK_ORDER_VIOLATION,
    DEADLOCK,
    UNSAFE_QUEUE_CHECK,
    REUSED_LATCH
  }

  /** How sure and how bad: {@code ERROR} fails a build by default. */
  public enum Severity {
    ERROR,
    WARNING,
    INFO
  }

  /** A lock as a report names it. */
  public record LockRef(String name, String type) {
    public LockRef {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * One edge of a lock-order cycle: {@code thread} acquired {@code to} at {@code acquiredAt}
   * while it held {@code from}, which it had taken at {@code heldAt}. {@code held} lists every
   * lock the thread held at that moment, outermost first (JSON field {@code held}, optional).
   */
  public record EdgeRef(
      String from, String to, String thread, List<String> heldAt, List<String> acquiredAt,
      List<String> held) {
    public EdgeRef {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(thread, "thread");
      heldAt = List.copyOf(heldAt);
      acquiredAt = List.copyOf(acquiredAt);
      held = List.copyOf(held);
    }

    /** An edge whose other held locks are not known. */
    public EdgeRef(
        String from, String to, String thread, List<String> heldAt, List<String> acquiredAt) {
      this(from, to, thread, heldAt, acquiredAt, List.of());
    }
  }

  /**
   * A thread waiting on a latch when the finding was made, with its stack then: the threads a
   * re-armed or replaced latch may strand.
   */
  public record WaiterRef(String thread, String latch, List<String> stack) {
    public WaiterRef {
      Objects.requireNonNull(thread, "thread");
      Objects.requireNonNull(latch, "latch");
      stack = List.copyOf(stack);
    }
  }

  /**
   * How often a finding was seen: {@code occurrences} times a detector found it (a further cycle
   * of lock instances through the same code, a cycle seen again from another thread, a repeat at
   * the same severity); over {@code instanceCycles} distinct cycles of lock instances (for {@code
   * POTENTIAL_DEADLOCK}, else 0); by {@code threadsSeen} distinct threads (by name; summed
   * when reports of several JVMs are merged).
   */
  public record Counts(long occurrences, long instanceCycles, long threadsSeen) {
    public Counts {
      if (occurrences < 1 || instanceCycles < 0 || threadsSeen < 0) {
        throw new IllegalArgumentException("counts out of range: occurrences " + occurrences
            + ", instanceCycles " + instanceCycles + ", threadsSeen " + threadsSeen);
      }
    }

    /** The counts of a finding seen once: one cycle of lock instances for a lock-order cycle. */
    public static Counts once(Kind kind, List<String> threads) {
      return new Counts(1, kind == Kind.POTENTIAL_DEADLOCK ? 1 : 0, threads.size());
    }

    /** Both counts added: the same finding from two reports. */
    public Counts plus(Counts other) {
      return new Counts(occurrences + other.occurrences,
          instanceCycles + other.instanceCycles, threadsSeen + other.threadsSeen);
    }
  }

  /**
   * What steering the schedule showed about a {@code POTENTIAL_DEADLOCK} (JSON field {@code
   * confirmation}, written when present): {@code CONFIRMED} when lockguard held threads back at
   * the cycle's acquisition sites until every one of them held its lock and was about to take the
   * next ({@code witness} says, per thread, what it held, what it wanted and where); {@code
   * NOT_REPRODUCED} when no attempt brought them together ({@code edgesReached} of {@code
   * edgesInCycle} edges occupied at once at best). Not reproduced means not in this run, not
   * impossible.
   */
  public record Confirmation(
      Status status, int attempts, int edgesReached, int edgesInCycle, List<Witness> witness) {
    public Confirmation {
      Objects.requireNonNull(status, "status");
      if (attempts < 1 || edgesReached < 0 || edgesInCycle < 0) {
        throw new IllegalArgumentException("confirmation out of range: attempts " + attempts
            + ", edgesReached " + edgesReached + ", edgesInCycle " + edgesInCycle);
      }
      witness = List.copyOf(witness);
    }

    /** The two outcomes of steering. */
    public enum Status {
      CONFIRMED,
      NOT_REPRODUCED
    }

    /** One thread of a confirmed deadlock: the lock it held, the one it was about to take. */
    public record Witness(String thread, String held, String wanted, List<String> stack) {
      public Witness {
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(held, "held");
        Objects.requireNonNull(wanted, "wanted");
        stack = List.copyOf(stack);
      }
    }

    /** How much this outcome says: a confirmation over none, and over a failed attempt. */
    static int rank(Confirmation confirmation) {
      if (confirmation == null) {
        return 0;
      }
      return confirmation.status == Status.CONFIRMED ? 2 : 1;
    }
  }

  private final String id;
  private final Kind kind;
  private final Severity severity;
  private final String message;
  private final List<String> threads;
  private final List<LockRef> locks;
  private final List<EdgeRef> edges;
  private final List<String> sites;
  private final List<WaiterRef> waiters;
  private final boolean observed;
  private final Counts counts;
  private final Confirmation confirmation;
  private final String confirms;

  /** A violation without waiting threads (every kind but {@code REUSED_LATCH}). */
  public Violation(
      String id,
      Kind kind,
      Severity severity,
      String message,
      List<String> threads,
      List<LockRef> locks,
      List<EdgeRef> edges,
      List<String> sites) {
    this(id, kind, severity, message, threads, locks, edges, sites, List.of());
  }

  /** A violation that also lists the threads waiting on a latch, each with its stack. */
  public Violation(
      String id,
      Kind kind,
      Severity severity,
      String message,
      List<String> threads,
      List<LockRef> locks,
      List<EdgeRef> edges,
      List<String> sites,
      List<WaiterRef> waiters) {
    this(id, kind, severity, message, threads, locks, edges, sites, waiters, false,
        Counts.once(kind, threads), null, null);
  }

  private Violation(
      String id,
      Kind kind,
      Severity severity,
      String message,
      List<String> threads,
      List<LockRef> locks,
      List<EdgeRef> edges,
      List<String> sites,
      List<WaiterRef> waiters,
      boolean observed,
      Counts counts,
      Confirmation confirmation,
      String confirms) {
    this.id = Objects.requireNonNull(id, "id");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.severity = Objects.requireNonNull(severity, "severity");
    this.message = Objects.requireNonNull(message, "message");
    this.threads = List.copyOf(threads);
    this.locks = List.copyOf(locks);
    this.edges = List.copyOf(edges);
    this.sites = List.copyOf(sites);
    this.waiters = List.copyOf(waiters);
    this.observed = observed;
    this.counts = Objects.requireNonNull(counts, "counts");
    this.confirmation = confirmation;
    this.confirms = confirms;
  }

  public String id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  public Severity severity() {
    return severity;
  }

  public String message() {
    return message;
  }

  public List<String> threads() {
    return threads;
  }

  public List<LockRef> locks() {
    return locks;
  }

  public List<EdgeRef> edges() {
    return edges;
  }

  public List<String> sites() {
    return sites;
  }

  /** Threads that were waiting on the latch, with their stacks; empty for lock-order kinds. */
  public List<WaiterRef> waiters() {
    return waiters;
  }

  /**
   * Whether the harm was seen happening (a queue changed between a check and the act that
   * trusted it), not only found possible. JSON field {@code observed}, written when true.
   */
  public boolean observed() {
    return observed;
  }

  /** How often this finding was seen; a finding just made was seen once. */
  public Counts counts() {
    return counts;
  }

  /** What steering the schedule showed about this finding, or null if it was not steered. */
  public Confirmation confirmation() {
    return confirmation;
  }

  /** The same finding with the outcome of steering ({@link #confirmation()}). */
  public Violation withConfirmation(Confirmation outcome) {
    return new Violation(id, kind, severity, message, threads, locks, edges, sites, waiters,
        observed, counts, outcome, confirms);
  }

  /**
   * The id of the {@code POTENTIAL_DEADLOCK} this {@code DEADLOCK} confirms (the same locks taken
   * at the same sites), or null. JSON field {@code confirms}, written when there is one.
   */
  public String confirms() {
    return confirms;
  }

  /** The same finding with another severity (a cycle seen later from a second thread). */
  public Violation withSeverity(Severity newSeverity, String newMessage) {
    return new Violation(id, kind, newSeverity, newMessage, threads, locks, edges, sites, waiters,
        observed, counts, confirmation, confirms);
  }

  /** The same finding, marked as seen happening or not ({@link #observed()}). */
  public Violation withObserved(boolean isObserved) {
    return new Violation(id, kind, severity, message, threads, locks, edges, sites, waiters,
        isObserved, counts, confirmation, confirms);
  }

  /** The same finding with other counts. */
  public Violation withCounts(Counts newCounts) {
    return new Violation(id, kind, severity, message, threads, locks, edges, sites, waiters,
        observed, newCounts, confirmation, confirms);
  }

  /** The same finding, pointing at the potential deadlock it confirms ({@link #confirms()}). */
  public Violation withConfirms(String potentialDeadlockId) {
    return new Violation(id, kind, severity, message, threads, locks, edges, sites, waiters,
        observed, counts, confirmation, potentialDeadlockId);
  }

  /**
   * Whether this finding outranks {@code other}, a finding of the same bug: it is more severe, or
   * as severe and observed where {@code other} was only possible, or as severe and better known
   * by steering (a confirmation over none, {@code CONFIRMED} over {@code NOT_REPRODUCED}). Of two
   * findings that tie, a report keeps the one it had first.
   */
  public boolean isWorseThan(Violation other) {
    int order = severity.compareTo(other.severity); // ERROR < WARNING < INFO
    if (order != 0) {
      return order < 0;
    }
    if (observed != other.observed) {
      return observed;
    }
    return Confirmation.rank(confirmation) > Confirmation.rank(other.confirmation);
  }

  /**
   * This finding and {@code other}, the same bug seen again (same id), folded into one: the worse
   * of the two ({@link #isWorseThan}; this one on a tie) with the counts of both added.
   *
   * @throws IllegalArgumentException if the ids differ
   */
  public Violation mergedWith(Violation other) {
    if (!id.equals(other.id)) {
      throw new IllegalArgumentException("cannot merge findings " + id + " and " + other.id);
    }
    Violation shown = other.isWorseThan(this) ? other : this;
    return shown.withCounts(counts.plus(other.counts));
  }

  @Override
  public String toString() {
    return kind + " " + severity + " " + id + ": " + message;
  }
}
