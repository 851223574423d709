package dev.lockguard.internal.classinit;

import dev.lockguard.internal.classinit.ClassInits.Touch;
import dev.lockguard.internal.classinit.InitLink.Why;
import dev.lockguard.internal.classinit.ClassInits.Info;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
   * {@code entries} are the classes a thread can start at ({@link Entries#of}): each begins a
   * thread of the story, and one only its package starts names the class that does.
   */
  static Violation toViolation(List<InitLink> cycle, Map<Info, String> entries,
      String threadName, StackTraceElement[] frames) {
    List<LockRef> locks = new ArrayList<>();
    List<EdgeRef> edges = new ArrayList<>();
    List<String> sites = new ArrayList<>();
    StringBuilder story = new StringBuilder();
    boolean hierarchy = false;
    int thread = 0;
    for (int i = 0; i < cycle.size(); i++) {
      InitLink link = cycle.get(i);
      locks.add(new LockRef(link.from().name, LOCK_TYPE));
      StackTraceElement where = link.where();
      StackTraceElement[] held = from(frames, link.from().name, "<clinit>");
      if (held.length == 0) {
        held = triggered(cycle, i, frames); // a class with no initializer of its own
      }
      edges.add(new EdgeRef(link.from().name, link.to().name, threadName,
          Findings.frames(held), Findings.frames(where == null ? held : from(frames, where))));
      if (where != null) {
        sites.add(where.toString());
      }
      hierarchy |= link.why() == Why.SUPERCLASS || link.why() == Why.INTERFACE;
      // A class no other code can start initializing goes on in the thread of the class before.
      String starter = entries.get(link.from());
      if (thread == 0 || starter != null) {
        story.append(thread == 0 ? "" : "; ").append("thread ")
            .append(THREADS.charAt(thread++ % THREADS.length())).append(" initializes ");
      } else {
        story.append(", then ");
      }
      story.append(simple(link.from().name));
      if (starter != null && !starter.isEmpty()) {
        story.append(" (started by ").append(simple(starter)).append(", in its package)");
      }
      story.append(step(link));
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

  /**
   * The report of a lock that a thread held when it started initializing {@code first}, and that
   * the initializer of {@code last}, at the end of {@code chain}, takes again.
   *
   * @param field {@code Owner.field} the initializer loaded the lock from, or null
   * @param touched where the thread touched {@code first} while it held the lock, or null
   */
  static Violation throughLock(Object lock, String field, Info first, StackTraceElement touched,
      List<InitLink> chain, Info last, String threadName, StackTraceElement[] frames) {
    String lockName = field != null ? field : lockName(lock);
    String lockType = LockNames.typeOf(lock);
    StackTraceElement takes = frames.length > 0 ? frames[0] : null;
    List<LockRef> locks = new ArrayList<>();
    locks.add(new LockRef(lockName, lockType));
    List<EdgeRef> edges = new ArrayList<>();
    List<String> sites = new ArrayList<>();
    StackTraceElement[] fromTouch = touched == null ? new StackTraceElement[0]
        : from(frames, touched);
    edges.add(new EdgeRef(lockName, first.name, threadName, Findings.frames(fromTouch),
        Findings.frames(fromTouch)));
    StringBuilder needs = new StringBuilder();
    for (InitLink link : chain) {
      locks.add(new LockRef(link.from().name, LOCK_TYPE));
      StackTraceElement[] at = link.where() == null ? new StackTraceElement[0]
          : from(frames, link.where());
      edges.add(new EdgeRef(link.from().name, link.to().name, threadName,
          Findings.frames(from(frames, link.from().name, "<clinit>")), Findings.frames(at)));
      needs.append(", which needs ").append(simple(link.to().name)).append(" (")
          .append(how(link)).append(')');
    }
    locks.add(new LockRef(last.name, LOCK_TYPE));
    edges.add(new EdgeRef(last.name, lockName, threadName,
        Findings.frames(from(frames, last.name, "<clinit>")), Findings.frames(frames)));
    if (touched != null) {
      sites.add(touched.toString());
    }
    if (takes != null) {
      sites.add(takes.toString());
    }
    String firstName = simple(first.name);
    String message = "Class initialization deadlock through a lock: thread A holds " + lockName
        + " and needs " + firstName + (touched == null ? "" : " (at " + touched + ")")
        + "; thread B initializes " + firstName + needs + ", whose initializer takes " + lockName
        + (takes == null ? "" : " (" + takes.getFileName() + ":" + takes.getLineNumber() + ")")
        + "; each waits for the other for ever, and neither ThreadMXBean nor jstack reports the"
        + " hang. Seen without a hang in thread \"" + threadName + "\", which took " + lockName
        + " again inside the initializer. Fix: initialize " + firstName + " before taking "
        + lockName + ", or keep the initializer from taking it.";
    return new Violation(Findings.stableId(Kind.POTENTIAL_DEADLOCK, sites),
        Kind.POTENTIAL_DEADLOCK, Severity.ERROR, message, List.of(threadName), locks, edges,
        sites);
  }

  /** The name the lock-order graph gave the lock, if it has a node, else {@code Type@hash}. */
  private static String lockName(Object lock) {
    int hash = System.identityHashCode(lock);
    String known = LockNames.byIdentity(hash, lock.getClass().getName());
    return known != null ? known : LockNames.anonymousName(lock, lock, hash);
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

  /**
   * Where the initialization of link {@code i}'s class was started: the stack from the place of
   * the step before it that has one.
   */
  private static StackTraceElement[] triggered(List<InitLink> cycle, int i,
      StackTraceElement[] frames) {
    for (int back = 1; back < cycle.size(); back++) {
      StackTraceElement where = cycle.get((i - back + cycle.size()) % cycle.size()).where();
      if (where != null) {
        return from(frames, where);
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
