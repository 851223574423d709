package dev.lockguard;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.internal.RuntimeAccess;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the running JVM's lockguard has found so far.
 *
 * <p>Useful from tests and tools in the same JVM as the agent; without the agent it reports that
 * it is inactive and that nothing was found.
 */
public final class LockGuard {
  private LockGuard() {}

  /** True when the lockguard agent instruments this JVM. */
  public static boolean agentActive() {
    return RuntimeAccess.agentActive();
  }

  /** The violations found so far, oldest first. */
  public static List<Violation> violations() {
    return RuntimeAccess.violations();
  }

  /** The whole report as it would be written now. */
  public static Report report() {
    return RuntimeAccess.report();
  }

  /** Calls {@code listener} on every new violation (and severity upgrade), in the finding thread. */
  public static void addListener(Consumer<Violation> listener) {
    RuntimeAccess.addListener(listener);
  }

  public static void removeListener(Consumer<Violation> listener) {
    RuntimeAccess.removeListener(listener);
  }
}
