package dev.lockguard.report;

import java.util.List;
import java.util.Objects;

/**
 * A whole {@code lockguard-report/1} document: the JVM it came from, its findings and counters,
 * and (optionally) its lock-order graph.
 */
public final class Report {

  /** The schema name written into every report. */
  public static final String SCHEMA = "lockguard-report/1";

  /**
   * Which JVM wrote the report. {@code startedAt} is an ISO-8601 instant; {@code
   * workingDirectory} is the JVM's {@code user.dir} ("" if not known: a report written before the
   * field existed), which names the module a forked test JVM ran in.
   */
  public record JvmInfo(long pid, String javaVersion, String mainClass, String startedAt,
      String workingDirectory) {
    public JvmInfo {
      Objects.requireNonNull(javaVersion, "javaVersion");
      Objects.requireNonNull(mainClass, "mainClass");
      Objects.requireNonNull(startedAt, "startedAt");
      Objects.requireNonNull(workingDirectory, "workingDirectory");
    }

    /** A JVM whose working directory is not known. */
    public JvmInfo(long pid, String javaVersion, String mainClass, String startedAt) {
      this(pid, javaVersion, mainClass, startedAt, "");
    }
  }

  /**
   * Counters of the detectors: the lock-order graph's, and how many latches (count-down latches,
   * barriers, phasers, events) the latch detector tracked.
   */
  public record Stats(long locksSeen, long edges, long acquisitions, long latchesSeen) {
    /** Counters of a report without latch counts (written before they existed). */
    public Stats(long locksSeen, long edges, long acquisitions) {
      this(locksSeen, edges, acquisitions, 0);
    }
  }

  private final JvmInfo jvm;
  private final List<Violation> violations;
  private final Stats stats;
  private final OrderGraph graph;

  /** A report without a lock-order graph. */
  public Report(JvmInfo jvm, List<Violation> violations, Stats stats) {
    this(jvm, violations, stats, OrderGraph.EMPTY);
  }

  /** A report that carries its JVM's lock-order graph for cross-JVM merging. */
  public Report(JvmInfo jvm, List<Violation> violations, Stats stats, OrderGraph graph) {
    this.jvm = Objects.requireNonNull(jvm, "jvm");
    this.violations = List.copyOf(violations);
    this.stats = Objects.requireNonNull(stats, "stats");
    this.graph = Objects.requireNonNull(graph, "graph");
  }

  public JvmInfo jvm() {
    return jvm;
  }

  public List<Violation> violations() {
    return violations;
  }

  public Stats stats() {
    return stats;
  }

  /** The lock-order graph, empty if the report carries none. */
  public OrderGraph graph() {
    return graph;
  }
}
