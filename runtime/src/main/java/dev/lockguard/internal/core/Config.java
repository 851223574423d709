package dev.lockguard.internal.core;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The runtime's configuration, parsed once by the agent into typed values.
 *
 * @param reportPath where the JSON report goes, or null for none
 * @param policy what to do on a lock-order violation
 * @param order which lock-order rule to check
 * @param watchdogMillis how often the deadlock watchdog looks; 0 turns it off
 * @param quiet true to record findings without printing them on stderr (stress tests)
 * @param violation makes the exception that {@code policy=throw} throws: the agent passes the
 *     public {@code LockOrderViolationException}, so that no runtime package names the public API
 */
public record Config(
    Path reportPath,
    Policy policy,
    Order order,
    long watchdogMillis,
    boolean quiet,
    Function<String, ? extends RuntimeException> violation) {

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

  /** What a library user without the agent gets: nothing written, nothing thrown by hooks. */
  public static final Config LIBRARY =
      new Config(null, Policy.RECORD, Order.GRAPH, 0, false, IllegalStateException::new);

  /** The configuration in force, and whether an agent set it; read by hooks, written by start. */
  private static volatile Config current = LIBRARY;

  private static volatile boolean agentActive;

  public static Config current() {
    return current;
  }

  public static boolean agentActive() {
    return agentActive;
  }

  /** Installs {@code config} as the agent's; called once by {@code Lifecycle.start}. */
  public static void install(Config config) {
    current = config;
    agentActive = true;
  }

  /** This configuration with stderr output switched off. */
  public Config quietly() {
    return new Config(reportPath, policy, order, watchdogMillis, true, violation);
  }

  /** Puts the library configuration back, with no agent active (unit tests only). */
  public static void reset() {
    current = LIBRARY;
    agentActive = false;
  }

  /** Puts {@code config} in force without changing whether an agent is active. */
  public static void replace(Config config) {
    current = config;
  }
}
