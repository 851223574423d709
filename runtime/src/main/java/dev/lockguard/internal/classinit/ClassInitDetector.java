package dev.lockguard.internal.classinit;

import dev.lockguard.internal.classinit.ClassInits.Info;
import dev.lockguard.internal.classinit.ClassInits.Touch;
import dev.lockguard.internal.classinit.InitLink.Why;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Ledger;
import dev.lockguard.internal.core.Lockset;
import dev.lockguard.internal.core.Stacks;
import dev.lockguard.report.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds cycles of class initializations as the initializers finish.
 *
 * <p>A cycle seen in one thread always has one step the run cannot show: the touch of a class
 * whose initialization is already in progress in the same thread returns at once, without running
 * its initializer again. So when a class's {@code <clinit>} ends, its out-steps that the JVM or
 * the bytecode give (its superclass and default-method interfaces; the classes its initializer
 * touches) are checked against the classes still initializing below it in the thread: one of
 * them closes a cycle whose other steps the thread's stack of initializers shows. A touched class
 * with no initializer of its own never shows up at run time, so its superclasses are followed
 * too (the subclass in {@code static final Base EMPTY = new Sub()} often has none).
 *
 * <p>Only cycles the run went through are found: one along a branch no initializer took is
 * missed, so that nothing is reported from code that did not run.
 */
final class ClassInitDetector {
  /** How far up superclasses and interfaces a step is followed. */
  private static final int MAX_ANCESTRY = 16;
  /** The cycles reported, by id: each is published once. */
  private static final Ledger<String, Void> REPORTED = new Ledger<>();

  private ClassInitDetector() {}

  /** {@code <clinit>} of class {@code id} starts in the thread whose stack is {@code stack}. */
  static void enter(InitStack stack, int id) {
    Info info = ClassInits.get(id);
    if (info == null) {
      return;
    }
    ClassInits.readIfUnread(info); // what it touches: read now, not when it was loaded
    info.state = Info.RUNNING;
    stack.push(id, stack.thread.lockset.size());
  }

  /**
   * The initializer of class {@code id}, innermost in this thread, takes {@code lock}: if the
   * thread held it already before one of the classes on its stack began initializing, a thread
   * that starts at that class and takes the lock in its initializer deadlocks with one that holds
   * the lock and touches the class.
   */
  static void lockInInitializer(InitStack stack, Object lock, String field, int id) {
    if (stack.top() != id) {
      return;
    }
    Lockset held = stack.thread.lockset;
    int index = -1;
    for (int i = 0; i < held.size(); i++) {
      index = held.key(i) == lock ? i : index;
    }
    for (int i = 0; index >= 0 && i < stack.depth(); i++) {
      if (stack.locksHeldAt(i) > index) {
        reportThroughLock(stack, i, lock, field);
        return;
      }
    }
  }

  /** Reports the lock {@code lock}, held before initializer {@code start} began, taken again. */
  private static void reportThroughLock(InitStack stack, int start, Object lock, String field) {
    StackTraceElement[] frames = Stacks.current(Stacks.Trim.HOOK);
    List<InitLink> chain = nestedLinks(stack, start, frames);
    Info first = ClassInits.get(stack.at(start));
    Info last = ClassInits.get(stack.top());
    List<Info> classes = new ArrayList<>();
    for (int i = start; i < stack.depth(); i++) {
      classes.add(ClassInits.get(stack.at(i)));
    }
    if (Entries.of(classes).isEmpty()) {
      return; // no other thread can start these initializations
    }
    Violation violation = ClassInitReports.throughLock(lock, field, first,
        callerOfInitializer(frames, first.name), chain, last, Thread.currentThread().getName(),
        frames);
    Findings.publishOnce(REPORTED, violation.id(), violation.severity(), () -> violation);
  }

  /** {@code <clinit>} of class {@code id} ends, normally or by an exception. */
  static void exit(InitStack stack, int id) {
    if (stack.top() != id) {
      return; // its start was not seen (the thread was inside lockguard then)
    }
    Info info = ClassInits.get(id);
    try {
      findCycles(stack, info);
    } finally {
      stack.pop();
      info.state = Info.DONE;
    }
  }

  /**
   * Reports each cycle that a step out of {@code y}, the innermost initializer, closes: one per
   * class below it that a step returns to (a subclass that also reads its superclass's field
   * closes one cycle, not two).
   */
  private static void findCycles(InitStack stack, Info y) {
    int top = stack.depth() - 1;
    List<Info> closed = null; // made on the first cycle: most initializers close none
    if (top > 0) {
      List<InitLink> up = ancestry(y, stack, top - 1);
      if (up != null) {
        closed = report(stack, up, closed);
      }
    }
    for (Touch touch : y.touches) {
      Info touched = ClassInits.byName(touch.target());
      if (touched == null || touched == y) {
        continue;
      }
      if (top > 0 && stack.indexOf(touched.id) >= 0) {
        closed = report(stack, List.of(new InitLink(y, touched, Why.TOUCH, touch, null)), closed);
      } else if (!touched.has(ClassInits.HAS_CLINIT)) {
        List<InitLink> beyond = ancestry(touched, stack, top);
        if (beyond != null) {
          List<InitLink> back = new ArrayList<>();
          back.add(new InitLink(y, touched, Why.TOUCH, touch, null));
          back.addAll(beyond);
          closed = report(stack, back, closed);
        }
      }
    }
  }

  /**
   * The steps from {@code from} up its superclasses and default-method interfaces to the first
   * class initializing on {@code stack} at index {@code highest} or below; null if none is.
   */
  private static List<InitLink> ancestry(Info from, InitStack stack, int highest) {
    List<InitLink> path = new ArrayList<>();
    return climb(from, stack, highest, path, 0) ? path : null;
  }

  private static boolean climb(Info from, InitStack stack, int highest, List<InitLink> path,
      int depth) {
    if (depth == MAX_ANCESTRY || highest < 0) {
      return false;
    }
    if (step(from, ClassInits.byName(from.superName), Why.SUPERCLASS, stack, highest, path,
        depth)) {
      return true;
    }
    for (String name : from.interfaces) {
      Info parent = ClassInits.byName(name);
      if (parent != null && parent.has(ClassInits.DEFAULT_METHODS)
          && step(from, parent, Why.INTERFACE, stack, highest, path, depth)) {
        return true;
      }
    }
    return false;
  }

  private static boolean step(Info from, Info parent, Why why, InitStack stack, int highest,
      List<InitLink> path, int depth) {
    if (parent == null) {
      return false;
    }
    path.add(new InitLink(from, parent, why, null, null));
    int at = stack.indexOf(parent.id);
    if (at >= 0 && at <= highest || climb(parent, stack, highest, path, depth + 1)) {
      return true;
    }
    path.remove(path.size() - 1);
    return false;
  }

  /**
   * Reports the cycle that {@code back} closes: the thread's initializers from the one {@code
   * back} returns to, down to the innermost, then {@code back}; unless a cycle through that
   * class was reported already ({@code closed}; null: none yet). A cycle no second thread can
   * enter is not reported and closes nothing: another through the same class may be one (a
   * superclass that makes a private subclass, then a public one).
   *
   * @return the classes cycles were reported through, this one's too if it was
   */
  private static List<Info> report(InitStack stack, List<InitLink> back, List<Info> closed) {
    Info start = back.get(back.size() - 1).to();
    if (closed != null && closed.contains(start)) {
      return closed;
    }
    int first = stack.indexOf(start.id);
    List<Info> classes = new ArrayList<>();
    for (int i = first; i < stack.depth() - 1; i++) {
      classes.add(ClassInits.get(stack.at(i)));
    }
    for (InitLink link : back) {
      classes.add(link.from());
    }
    if (mayStart(classes) < 2) {
      return closed; // only one class of the cycle can start initializing: no second thread can
    }
    Map<Info, String> entries = Entries.of(classes); // may read a package: only now
    if (entries.size() < 2) {
      return closed;
    }
    List<Info> done = closed != null ? closed : new ArrayList<>();
    done.add(start);
    StackTraceElement[] frames = Stacks.current(Stacks.Trim.HOOK);
    List<InitLink> cycle = nestedLinks(stack, first, frames);
    cycle.addAll(back);
    while (!entries.containsKey(cycle.get(0).from())) {
      cycle.add(cycle.remove(0)); // the story starts at a class a thread can start at
    }
    Violation violation =
        ClassInitReports.toViolation(cycle, entries, Thread.currentThread().getName(), frames);
    Findings.publishOnce(REPORTED, violation.id(), violation.severity(), () -> violation);
    return done;
  }

  /**
   * The initializations nested in this thread from stack level {@code start} to the top, as
   * links: each level's class touched the next one's while it ran.
   */
  private static List<InitLink> nestedLinks(InitStack stack, int start,
      StackTraceElement[] frames) {
    List<InitLink> links = new ArrayList<>();
    for (int i = start; i < stack.depth() - 1; i++) {
      Info from = ClassInits.get(stack.at(i));
      Info to = ClassInits.get(stack.at(i + 1));
      links.add(new InitLink(from, to, Why.NESTED, from.touchOf(to.name),
          callerOfInitializer(frames, to.name)));
    }
    return links;
  }

  /** How many of {@code classes} code outside them may start initializing, by their headers. */
  private static int mayStart(List<Info> classes) {
    int count = 0;
    for (Info info : classes) {
      count += info.has(ClassInits.NOT_AN_ENTRY) ? 0 : 1;
    }
    return count;
  }

  /**
   * The first frame below {@code className}'s {@code <clinit>} that is not the JDK's: where its
   * initialization was triggered; null if the stack does not show it.
   */
  private static StackTraceElement callerOfInitializer(StackTraceElement[] frames,
      String className) {
    for (int i = 0; i < frames.length; i++) {
      if (frames[i].getMethodName().equals("<clinit>")
          && frames[i].getClassName().equals(className)) {
        for (int j = i + 1; j < frames.length; j++) {
          if (!Stacks.isJdk(frames[j].getClassName())) {
            return frames[j];
          }
        }
      }
    }
    return null;
  }

  /** Forgets the cycles reported and how far each initialization got (unit tests only). */
  static void reset() {
    REPORTED.clear();
    ClassInits.resetStates();
  }
}
