package dev.lockguard.junit;

import dev.lockguard.report.Violation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Sends each violation to the test or class whose thread found it.
 *
 * <p>The runtime calls {@link #onViolation} in the thread that found the violation. Each thread
 * carries its scope in an inheritable thread-local, set around every test and class, so a
 * violation in a thread a test started is that test's, and two tests running in parallel never
 * see each other's. A violation from a thread without a scope is unattributed: it goes to the
 * guarded class that is running (under parallel execution, the one that started last), which
 * fails with it in {@code afterAll}; with no guarded class running, only the agent reports it.
 *
 * <p>Real deadlocks ({@code DEADLOCK}, found by the agent's watchdog thread, which has no scope)
 * are skipped here: the extension finds them itself, by thread, at the end of each test and when
 * the deadlock timeout expires.
 */
final class Attribution {
  private static final InheritableThreadLocal<Scope> CURRENT = new InheritedByTestThreads();
  private static final Deque<ClassScope> RUNNING_CLASSES = new ArrayDeque<>();
  private static boolean installed;

  private Attribution() {}

  /**
   * Registers the listener once per JVM. It stays for the JVM's life: it costs nothing between
   * tests, and scopes decide what it does.
   */
  static synchronized void install() {
    if (!installed) {
      dev.lockguard.LockGuard.addListener(Attribution::onViolation);
      installed = true;
    }
  }

  /** Makes {@code scope} the calling thread's scope; returns the one it replaces. */
  static Scope enter(Scope scope) {
    Scope previous = CURRENT.get();
    CURRENT.set(scope);
    return previous;
  }

  static void restore(Scope previous) {
    CURRENT.set(previous);
  }

  /** A class whose {@code beforeAll} ran takes unattributed violations until it finishes. */
  static synchronized void classStarted(ClassScope scope) {
    RUNNING_CLASSES.push(scope);
  }

  static synchronized void classFinished(ClassScope scope) {
    RUNNING_CLASSES.remove(scope);
  }

  static void onViolation(Violation violation) {
    if (violation.kind() == Violation.Kind.DEADLOCK) {
      return;
    }
    Thread thread = Thread.currentThread();
    Scope scope = CURRENT.get();
    if (scope != null) {
      scope.accept(violation, thread);
    } else {
      unattributed(violation, "in thread \"" + thread.getName()
          + "\", which no test or test class started", thread);
    }
  }

  /** Hands a violation no test can own to the running class, if a guarded one is running. */
  static void unattributed(Violation violation, String where, Thread thread) {
    latestRunningClass().ifPresent(scope -> scope.accept(violation, where, thread));
  }

  private static synchronized Optional<ClassScope> latestRunningClass() {
    return Optional.ofNullable(RUNNING_CLASSES.peek());
  }

  /**
   * Inherited by the threads a test or class starts, but not by the worker threads of JUnit's
   * parallel executor: those run other tests later, and would carry a stale scope into them.
   */
  private static final class InheritedByTestThreads extends InheritableThreadLocal<Scope> {
    private static final String JUNIT_EXECUTOR = "org.junit.platform.engine.support.hierarchical.";

    @Override
    protected Scope childValue(Scope parentValue) {
      return startedByJUnitExecutor() ? null : parentValue;
    }

    /** Whether the first frame outside the JDK and lockguard is JUnit's executor. */
    private static boolean startedByJUnitExecutor() {
      return StackWalker.getInstance().walk(frames -> frames
          .map(StackWalker.StackFrame::getClassName)
          .filter(name -> !name.startsWith("java.") && !name.startsWith("jdk.")
              && !name.startsWith("sun.") && !name.startsWith("dev.lockguard."))
          .findFirst()
          .map(name -> name.startsWith(JUNIT_EXECUTOR))
          .orElse(false));
    }
  }
}
