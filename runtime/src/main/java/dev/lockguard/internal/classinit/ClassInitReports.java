package dev.lockguard.internal.classinit;

import dev.lockguard.internal.classinit.ClassInits.Touch;
import dev.lockguard.internal.classinit.InitLink.Why;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Words a cycle of class initializations as a {@code POTENTIAL_DEADLOCK}: one lock per class
 * (type {@value #LOCK_TYPE}), one edge per step with the stack that shows it, the touches as
 * sites, and a message that tells how two threads hang on it and what fixes it.
 *
 * <p>It is an {@code ERROR} although one thread saw it: which thread first touches a class is
 * not up to the code that declares it, so any two threads that touch two of the classes first,
 * at the same moment, hang for ever (unlike a lock order seen in one thread, which may be the
 * only thread that ever runs that code).
 */
final class ClassInitReports {
  /** The type of a class's initialization lock in a report. */
  static final String LOCK_TYPE = "class initialization";
  private static final String THREADS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private ClassInitReports() {}

  /**
   * The report of {@code cycle}, which starts at a class other code can initialize first, as
   * thread {@code threadName} saw it; {@code frames} is that thread's stack when the cycle closed.
   */
  static Violation toViolation(List<InitLink> cycle, String threadName,
      StackTraceElement[] frames) {
    List<LockRef> locks = new ArrayList<>();
    List<EdgeRef> edges = new ArrayList<>();
    List<String> sites = new ArrayList<>();
    StringBuilder story = new StringBuilder();
    boolean hierarchy = false;
    int thread = 0;
    for (InitLink link : cycle) {
      locks.add(new LockRef(link.from().name, LOCK_TYPE));
      StackTraceElement where = link.where();
      edges.add(new EdgeRef(link.from().name, link.to().name, threadName,
          Findings.frames(from(frames, link.from().name, "<clinit>")),
          where == null ? List.of() : Findings.frames(from(frames, where))));
      if (where != null) {
        sites.add(where.toString());
      }
      hierarchy |= link.why() == Why.SUPERCLASS || link.why() == Why.INTERFACE;
      // A class no other code can start initializing goes on in the thread of the class before.
      if (thread == 0 || !link.from().has(ClassInits.NOT_AN_ENTRY)) {
        story.append(thread == 0 ? "" : "; ").append("thread ")
            .append(THREADS.charAt(thread++ % THREADS.length())).append(" initializes ");
      } else {
        story.append(", then ");
      }
      story.append(simple(link.from().name)).append(step(link));
    }
    String message = "Class initialization deadlock: " + story + "; each thread holds the"
        + " initialization of its class and waits for the next one's for ever, and neither"
        + " ThreadMXBean nor jstack reports the hang. Seen without a hang in thread \""
        + threadName + "\", which initialized them one inside the other. Fix: "
        + fix(cycle, hierarchy);
    return new Violation(Findings.stableId(Kind.POTENTIAL_DEADLOCK, sites),
        Kind.POTENTIAL_DEADLOCK, Severity.ERROR, message, List.of(threadName), locks, edges,
        sites);
  }

  /** What follows "initializes Base": " and needs Sub (Base.java:12 makes a Sub)", or so. */
  private static String step(InitLink link) {
    String to = simple(link.to().name);
    return switch (link.why()) {
      case SUPERCLASS -> ", whose superclass " + to + " it must initialize first";
      case INTERFACE -> ", whose interface " + to
          + " declares default methods and must be initialized first";
      case NESTED, TOUCH -> " and needs " + to + " (" + how(link) + ")";
    };
  }

  private static String how(InitLink link) {
    Touch touch = link.touch();
    StackTraceElement where = link.where();
    String at = where == null ? "" : where.getFileName() + ":" + where.getLineNumber() + " ";
    if (touch == null) {
      return where == null ? "its initializer touches it" : "at " + where;
    }
    String to = simple(link.to().name);
    return at + switch (touch.how()) {
      case ClassInits.MAKES -> "makes a " + to;
      case ClassInits.READS -> "reads " + to + "." + touch.member();
      case ClassInits.WRITES -> "writes " + to + "." + touch.member();
      default -> "calls " + to + "." + touch.member() + "()";
    };
  }

  private static String fix(List<InitLink> cycle, boolean hierarchy) {
    if (hierarchy) {
      String base = simple(cycle.get(0).from().name);
      return "keep " + base + "'s initializer from making or touching the class that extends"
          + " it: move that instance into a lazy holder class (a private static nested class"
          + " whose field holds it) or a factory method, or out of " + base + ".";
    }
    return "let only one of these initializers touch the other classes, or move the value they"
        + " share into a lazy holder class (a private static nested class whose field holds it).";
  }

  /** {@code Shapes$Base} for {@code fixtures.Shapes$Base}. */
  private static String simple(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /** The frames from the first one of {@code className.method}; empty if the stack lacks it. */
  private static StackTraceElement[] from(StackTraceElement[] frames, String className,
      String method) {
    for (int i = 0; i < frames.length; i++) {
      if (frames[i].getClassName().equals(className) && frames[i].getMethodName().equals(method)) {
        return Arrays.copyOfRange(frames, i, frames.length);
      }
    }
    return new StackTraceElement[0];
  }

  /** The frames from {@code where} if the stack shows it, else {@code where} alone. */
  private static StackTraceElement[] from(StackTraceElement[] frames, StackTraceElement where) {
    for (int i = 0; i < frames.length; i++) {
      if (frames[i].equals(where)) {
        return Arrays.copyOfRange(frames, i, frames.length);
      }
    }
    return new StackTraceElement[] {where};
  }
}
