package dev.lockguard.junit;

import dev.lockguard.internal.deadlock.DeadlockCycles;
import dev.lockguard.internal.deadlock.Watchdog;
import dev.lockguard.report.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds the real deadlocks that belong to a test or class, each one once.
 *
 * <p>The runtime's {@link DeadlockCycles} finds each deadlock with its thread ids and its report,
 * and the watchdog those in class initialization, which no monitor shows ({@link
 * Watchdog#classInitDeadlocks()}), so that a deadlock can be matched with the threads a test is
 * known to own (thread names need not be unique). A deadlock never ends, so its threads identify it: once claimed, it is not claimed
 * again.
 */
final class Deadlocks {
  private static final Set<Long> CLAIMED = new HashSet<>();

  private Deadlocks() {}

  /**
   * The reports of the deadlocks present now, not claimed before, whose thread ids satisfy
   * {@code owns}; they are claimed by this call.
   */
  static synchronized List<Violation> claim(Predicate<Set<Long>> owns) {
    List<Violation> claimed = new ArrayList<>();
    List<DeadlockCycles.Cycle> present = new ArrayList<>(DeadlockCycles.findNow());
    present.addAll(Watchdog.classInitDeadlocks()); // in class initialization: no monitor shows it
    for (DeadlockCycles.Cycle cycle : present) {
      Set<Long> ids = cycle.threadIds();
      if (!intersects(ids, CLAIMED) && owns.test(ids)) {
        CLAIMED.addAll(ids);
        claimed.add(cycle.report());
      }
    }
    return claimed;
  }

  static boolean intersects(Set<Long> ids, Set<Long> known) {
    for (Long id : ids) {
      if (known.contains(id)) {
        return true;
      }
    }
    return false;
  }
}
