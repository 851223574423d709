package dev.lockguard.runtime;

import java.nio.file.Path;

/**
 * The options the agent parsed, as the hooks read them.
 *
 * <p>Written once by the agent before any class is instrumented; plain statics after that. The
 * defaults are what a library user without the agent gets.
 */
public final class Settings {
  /** What to do on a lock-order violation. */
  public enum Policy {
    RECORD,
    THROW
  }

  /** Which lock-order rule to check. */
  public enum Order {
    GRAPH,
    ASCENDING
  }

  static volatile boolean agentActive;
  static volatile Policy policy = Policy.RECORD;
  static volatile Order order = Order.GRAPH;
  static volatile Path reportPath;
  static volatile boolean quiet;
  /**
   * Graph mode takes the outermost lock of a thread on a fast path (nothing to check, no edge).
   * Ascending mode ranks every lock at first sight, so it takes the full path.
   */
  static volatile boolean fastOutermost = true;

  private Settings() {}

  /** Called once by the agent's premain, before instrumentation starts. */
  public static void configure(Path report, Policy newPolicy, Order newOrder, boolean beQuiet) {
    reportPath = report;
    policy = newPolicy;
    order = newOrder;
    fastOutermost = newOrder == Order.GRAPH;
    quiet = beQuiet;
    agentActive = true;
    LockKeys.initReadWriteAccess();
    LockGraph.startCleaner();
    Reporter.start();
  }

  public static boolean agentActive() {
    return agentActive;
  }

  public static Policy policy() {
    return policy;
  }

  public static Order order() {
    return order;
  }

  public static Path reportPath() {
    return reportPath;
  }
}
