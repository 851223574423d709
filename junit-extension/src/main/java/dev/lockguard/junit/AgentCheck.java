package dev.lockguard.junit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes sure the agent instruments this JVM before any test relies on it.
 *
 * <p>This class must not touch a runtime class before it knows the runtime is on the boot class
 * path: without the agent those classes do not exist (the runtime dependency is {@code
 * provided}), and one loaded from the class path would be a second, inactive copy.
 */
final class AgentCheck {
  private static final String RUNTIME_CLASS = "dev.lockguard.internal.core.Config";

  private static volatile boolean active;
  private static String selfAttachFailure;

  private AgentCheck() {}

  /**
   * Returns if the agent is active (attaching it first when {@code lockguard.selfAttach=true});
   * throws an {@link ExtensionConfigurationException} that says how to attach it otherwise.
   */
  static void requireAgent(ExtensionContext context) {
    if (active) {
      return;
    }
    synchronized (AgentCheck.class) {
      if (!active) {
        activate(context);
      }
    }
  }

  private static void activate(ExtensionContext context) {
    if (!agentActive()) {
      if (!Configuration.selfAttach(context)) {
        throw new ExtensionConfigurationException(MavenSetup.agentMissing());
      }
      if (selfAttachFailure == null) {
        selfAttachFailure = SelfAttach.attach(Configuration.agentJar(context));
      }
      if (!selfAttachFailure.isEmpty()) {
        throw new ExtensionConfigurationException(selfAttachFailure);
      }
      if (!agentActive()) {
        throw new ExtensionConfigurationException("lockguard: the agent was attached at run"
            + " time but did not start; its error is on the test JVM's stderr. Attach it with"
            + " -javaagent instead:\n\n" + MavenSetup.agentMissing());
      }
    }
    Attribution.install();
    active = true;
  }

  /** Whether the runtime is on the boot class path and says the agent configured it. */
  private static boolean agentActive() {
    try {
      Class.forName(RUNTIME_CLASS, false, null);
    } catch (ClassNotFoundException e) {
      return false;
    }
    return dev.lockguard.LockGuard.agentActive();
  }
}
