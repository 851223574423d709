package dev.lockguard.internal;

import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.lockorder.LockOrderDetector;

import dev.lockguard.internal.core.Reporter;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import java.util.List;
import java.util.function.Consumer;

/** The runtime's state as the public API in {@code dev.lockguard} reads it. */
public final class RuntimeAccess {
  private RuntimeAccess() {}

  public static boolean agentActive() {
    return Config.agentActive();
  }

  public static List<Violation> violations() {
    return Reporter.violations();
  }

  public static Report report() {
    return Reporter.snapshot();
  }

  public static void addListener(Consumer<Violation> listener) {
    Reporter.addListener(listener);
  }

  public static void removeListener(Consumer<Violation> listener) {
    Reporter.removeListener(listener);
  }

  /** Live nodes in the lock-order graph, after dropping collected locks (for tests and stats). */
  public static int liveLocks() {
    return LockOrderDetector.liveLocks();
  }
}
