package dev.lockguard.junit;

import dev.lockguard.report.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The violations of a test class that no single test can own, and the class's verdict on them.
 *
 * <p>These are violations found in threads started outside any test ({@code @BeforeAll}, a static
 * initializer, a pool created before the tests), in threads that outlived their test, and, while
 * the class runs, in threads no test or class started at all. The class fails in {@code
 * afterAll}; where the extension is registered on methods only (and so takes no violation from
 * threads outside its tests), when JUnit closes the class's store.
 */
final class ClassScope extends Scope implements AutoCloseable {
  private final ExtensionContext context;
  private final Map<String, ClassViolation> findings = new LinkedHashMap<>();
  private final Set<Long> threads = new HashSet<>();
  private boolean open = true;
  private boolean entered;
  private Scope previous;

  private ClassScope(ExtensionContext context) {
    this.context = context;
  }

  /** The scope of the class that {@code context} belongs to, made on first use. */
  static ClassScope of(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    return classContext.getStore(LockGuardExtension.NAMESPACE).getOrComputeIfAbsent(
        ClassScope.class, key -> new ClassScope(classContext), ClassScope.class);
  }

  /** The scope {@code context}'s class already has, if any. */
  static Optional<ClassScope> existing(ExtensionContext context) {
    return Optional.ofNullable(classContext(context).getStore(LockGuardExtension.NAMESPACE)
        .get(ClassScope.class, ClassScope.class));
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (!(current.getElement().orElse(null) instanceof Class<?>)) {
      current = current.getParent().orElseThrow(() -> new IllegalStateException(
          "lockguard: no test class above " + context.getUniqueId()));
    }
    return current;
  }

  String className() {
    return context.getRequiredTestClass().getName();
  }

  /**
   * Makes this the calling thread's scope, for {@code @BeforeAll} and the threads it starts, and
   * the class that takes unattributed violations until it finishes.
   */
  void enter() {
    previous = Attribution.enter(this);
    entered = true;
    Attribution.classStarted(this);
  }

  @Override
  void accept(Violation violation, Thread thread) {
    accept(violation, "in thread \"" + thread.getName() + "\" outside any test: it runs for"
        + " @BeforeAll, @AfterAll or a static initializer, or was started by one of them",
        thread);
  }

  void accept(Violation violation, String where, Thread thread) {
    synchronized (this) {
      if (open) {
        ClassViolation kept = findings.get(violation.id());
        if (kept == null || violation.isWorseThan(kept.violation())) { // never a milder one
          findings.put(violation.id(), new ClassViolation(violation, where));
        }
        threads.add(thread.getId());
        return;
      }
    }
    Attribution.unattributed(violation,
        where + ", after class " + className() + " had finished", thread);
  }

  /** Keeps a finished test's threads: a deadlock among them later is this class's. */
  synchronized void adoptThreads(Collection<Long> testThreads) {
    threads.addAll(testThreads);
  }

  /** Ends the class: restores the thread's scope and fails the class on its findings. */
  void finish() {
    if (entered) {
      Attribution.restore(previous);
      Attribution.classFinished(this);
      entered = false;
    }
    List<ClassViolation> all;
    Set<Long> known;
    synchronized (this) {
      if (!open) {
        return;
      }
      open = false;
      all = new ArrayList<>(findings.values());
      known = Set.copyOf(threads);
    }
    for (Violation deadlock : Deadlocks.claim(ids -> Deadlocks.intersects(ids, known))) {
      all.add(new ClassViolation(deadlock, "among threads of this class's tests, after they finished"));
    }
    Verdict.forClass(context, Rules.of(context), all);
  }

  /** Called by JUnit when the class's store closes; a no-op once {@code afterAll} finished it. */
  @Override
  public void close() {
    finish();
  }
}
