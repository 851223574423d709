package dev.lockguard.internal.jfr;

import dev.lockguard.internal.core.Reporter;
import dev.lockguard.report.Violation;

/**
 * Makes every finding also a JFR event ({@code dev.lockguard.Violation}) while a flight recording
 * runs. Without a recording it costs one event object per finding and a check of a flag that JFR
 * keeps: findings are rare, and no lock acquisition ever comes here. The event class is loaded at
 * the first finding, not at start.
 */
public final class JfrFindings {
  private JfrFindings() {}

  /**
   * Listens to the reporter; called once at start. A runtime image without the {@code jdk.jfr}
   * module gets no listener, so that no finding meets a missing class.
   */
  public static void start() {
    if (ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
      Reporter.addListener(JfrFindings::emit);
    }
  }

  /** Commits the finding as an event if a recording wants it, in the thread that found it. */
  public static void emit(Violation violation) {
    ViolationEvent event = new ViolationEvent();
    if (!event.isEnabled()) {
      return;
    }
    event.kind = violation.kind().name();
    event.severity = violation.severity().name();
    event.id = violation.id();
    StringBuilder locks = new StringBuilder();
    for (Violation.LockRef lock : violation.locks()) {
      locks.append(locks.length() == 0 ? "" : ", ").append(lock.name());
    }
    event.locks = locks.toString();
    event.message = violation.message();
    event.commit();
  }
}
