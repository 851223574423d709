package dev.lockguard.internal;

import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Reporter;
import dev.lockguard.internal.deadlock.Watchdog;
import dev.lockguard.internal.jfr.JfrFindings;
import dev.lockguard.internal.latch.LatchDetector;
import dev.lockguard.internal.lockorder.LockOrderDetector;

/**
 * The runtime's one start: installs the configuration, then starts every detector, the reporter,
 * the JFR events and the deadlock watchdog, in that order. Called once by the agent, before any class is
 * instrumented.
 */
public final class Lifecycle {
  private static boolean started;

  private Lifecycle() {}

  public static synchronized void start(Config config) {
    if (started) {
      return; // attached twice: the first attach's configuration stays
    }
    started = true;
    Config.install(config);
    LockOrderDetector.start(config);
    LatchDetector.start();
    Reporter.start();
    JfrFindings.start();
    Watchdog.start(config.watchdogMillis());
  }
}
