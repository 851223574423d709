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

  private final String id;
  private final Kind kind;
  private final Severity severity;
  private final String message;
  private final List<String> threads;
  private final List<LockRef> locks;
  private final List<EdgeRef> edges;
  private final List<String> sites;

  public Violation(
      String id,
      Kind kind,
      Severity severity,
      String message,
      List<String> threads,
      List<LockRef> locks,
      List<EdgeRef> edges,
      List<String> sites) {
    this.id = Objects.requireNonNull(id, "id");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.severity = Objects.requireNonNull(severity, "severity");
    this.message = Objects.requireNonNull(message, "message");
    this.threads = List.copyOf(threads);
    this.locks = List.copyOf(locks);
    this.edges = List.copyOf(edges);
    this.sites = List.copyOf(sites);
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

  /** The same finding with another severity (a cycle seen later from a second thread). */
  public Violation withSeverity(Severity newSeverity, String newMessage) {
    return new Violation(id, kind, newSeverity, newMessage, threads, locks, edges, sites);
  }

  @Override
  public String toString() {
    return kind + " " + severity + " " + id + ": " + message;
  }
}
