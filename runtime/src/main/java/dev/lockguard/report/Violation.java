package dev.lockguard.report;

import java.util.List;
import java.util.Objects;

/**
 * One finding of a detector, in the shape of the {@code lockguard-report/1} JSON schema.
 *
 * <p>Instances are immutable. Frames are {@link StackTraceElement#toString()} strings with the
 * agent's own frames already trimmed.
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

  private final String id;
  private final Kind kind;
  private final Severity severity;
  private final String message;
  private final List<String> threads;
  private final List<LockRef> locks;
  private final List<EdgeRef> edges;
  private final List<String> sites;
  private final List<WaiterRef> waiters;

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
    this.id = Objects.requireNonNull(id, "id");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.severity = Objects.requireNonNull(severity, "severity");
    this.message = Objects.requireNonNull(message, "message");
    this.threads = List.copyOf(threads);
    this.locks = List.copyOf(locks);
    this.edges = List.copyOf(edges);
    this.sites = List.copyOf(sites);
    this.waiters = List.copyOf(waiters);
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

  /** The same finding with another severity (a cycle seen later from a second thread). */
  public Violation withSeverity(Severity newSeverity, String newMessage) {
    return new Violation(
        id, kind, newSeverity, newMessage, threads, locks, edges, sites, waiters);
  }

  @Override
  public String toString() {
    return kind + " " + severity + " " + id + ": " + message;
  }
}
