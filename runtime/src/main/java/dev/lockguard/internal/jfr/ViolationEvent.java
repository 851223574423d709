package dev.lockguard.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A lockguard finding as a JFR event, so that JDK Mission Control shows it on the timeline next to
 * {@code jdk.JavaMonitorEnter}. Its stack trace is the stack of the thread that found it.
 */
@Name(ViolationEvent.NAME)
@Label("lockguard Violation")
@Category("lockguard")
@Description("A concurrency bug lockguard found: a lock-order cycle, a deadlock, an unsafe queue"
    + " check or a reused latch.")
@StackTrace(true)
final class ViolationEvent extends Event {
  static final String NAME = "dev.lockguard.Violation";

  @Label("Kind")
  String kind;

  @Label("Severity")
  String severity;

  @Label("Id")
  @Description("The finding's stable id: the same bug has the same id in every run")
  String id;

  @Label("Locks")
  @Description("The locks' names, separated by ', '")
  String locks;

  @Label("Message")
  String message;
}
