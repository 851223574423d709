package dev.lockguard.benchmarks;

/**
 * Where the lockguard agent jar is, filled in by the Maven build.
 *
 * <p>JMH's fork annotation takes compile-time constants only, so the path is baked in when
 * the module is built (from the property lockguard.agent.jar, by default
 * agent/target/lockguard-agent.jar of the same checkout). That keeps benchmarks.jar usable from
 * any working directory; the price is that the jar is tied to the checkout it was built in,
 * which is fine for a module that is never published.
 */
public final class AgentJar {
  /** The absolute path of the agent jar. */
  public static final String PATH = "${lockguard.agent.jar}";

  /** The JVM argument that attaches the agent with its default options. */
  public static final String JVM_ARG = "-javaagent:" + PATH;

  private AgentJar() {}
}
