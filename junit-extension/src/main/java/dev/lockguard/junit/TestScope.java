package dev.lockguard.junit;

import dev.lockguard.report.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The violations of one running test, and the threads known to be its own.
 *
 * <p>Open from {@code beforeEach} to {@code afterEach}. A violation that arrives after the test
 * closed, from a thread that outlived it, goes to the test's class instead. The known threads
 * (the test's thread, and every thread that reported a violation here) decide which real
 * deadlocks belong to the test.
 */
final class TestScope extends Scope {
  private final String testName;
  private final ClassScope owner;
  private final Map<String, Violation> violations = new LinkedHashMap<>();
  private final Set<Long> threads = new HashSet<>();
  private boolean open = true;
  private String abandoned;

  TestScope(String testName, ClassScope owner) {
    this.testName = testName;
    this.owner = owner;
  }

  String testName() {
    return testName;
  }

  @Override
  void accept(Violation violation, Thread thread) {
    synchronized (this) {
      if (open) {
        // one bug, one finding: a worse report replaces the first, a milder one never does
        violations.merge(violation.id(), violation, (kept, again) -> again.isWorseThan(kept)
            ? again : kept);
        threads.add(thread.getId());
        return;
      }
    }
    owner.accept(violation, "in thread \"" + thread.getName() + "\" after test " + testName
        + " had finished: the thread inherited that test's attribution and outlived it", thread);
  }

  /** The findings so far, oldest first. */
  synchronized List<Violation> violations() {
    return new ArrayList<>(violations.values());
  }

  synchronized void addThread(Thread thread) {
    threads.add(thread.getId());
  }

  synchronized Set<Long> threads() {
    return Set.copyOf(threads);
  }

  /** Records the real deadlocks the test is stuck in, and that its thread was left behind. */
  synchronized void abandon(List<Violation> deadlocks, String why) {
    for (Violation deadlock : deadlocks) {
      violations.put(deadlock.id(), deadlock);
    }
    abandoned = why;
  }

  /** Why the deadlock timeout abandoned the test, or null if it ran to its end. */
  synchronized String abandoned() {
    return abandoned;
  }

  /** Adds deadlocks found at the end of the test, then closes it: later ones go to the class. */
  synchronized List<Violation> close(List<Violation> deadlocks) {
    for (Violation deadlock : deadlocks) {
      violations.put(deadlock.id(), deadlock);
    }
    open = false;
    owner.adoptThreads(threads);
    return new ArrayList<>(violations.values());
  }
}
