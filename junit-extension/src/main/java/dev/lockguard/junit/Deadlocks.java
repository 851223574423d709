package dev.lockguard.junit;

import dev.lockguard.report.Violation;
import dev.lockguard.internal.deadlock.Watchdog;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds the real deadlocks that belong to a test or class, each one once.
 *
 * <p>The runtime's {@link Watchdog#findDeadlocks()} describes each deadlock by thread names, which
 * need not be unique; this class finds the cycles by thread id, so that a deadlock can be matched
 * with the threads a test is known to own, and pairs each cycle with the runtime's report of it.
 * A deadlock never ends, so its threads identify it: once claimed, it is not claimed again.
 */
final class Deadlocks {
  private static final Set<Long> CLAIMED = new HashSet<>();

  private Deadlocks() {}

  /**
   * The deadlocks present now, not claimed before, whose thread ids satisfy {@code owns}; they
   * are claimed by this call.
   */
  static synchronized List<Violation> claim(Predicate<Set<Long>> owns) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] deadlocked = mx.isSynchronizerUsageSupported()
        ? mx.findDeadlockedThreads() : mx.findMonitorDeadlockedThreads();
    if (deadlocked == null) {
      return List.of();
    }
    Map<Long, ThreadInfo> infos = new HashMap<>();
    for (ThreadInfo info : mx.getThreadInfo(deadlocked)) {
      if (info != null) {
        infos.put(info.getThreadId(), info);
      }
    }
    List<Violation> reports = new ArrayList<>(Watchdog.findDeadlocks());
    List<Violation> claimed = new ArrayList<>();
    for (Set<Long> cycle : cycles(infos)) {
      if (!intersects(cycle, CLAIMED) && owns.test(cycle)) {
        Violation report = reportOf(cycle, infos, reports);
        if (report != null) {
          reports.remove(report);
          CLAIMED.addAll(cycle);
          claimed.add(report);
        }
      }
    }
    return claimed;
  }

  /** The cycles among deadlocked threads: each follows "waits for a lock owned by" back to itself. */
  private static List<Set<Long>> cycles(Map<Long, ThreadInfo> infos) {
    List<Set<Long>> cycles = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (long start : infos.keySet()) {
      List<Long> path = new ArrayList<>();
      long current = start;
      while (infos.containsKey(current) && !path.contains(current) && !seen.contains(current)) {
        path.add(current);
        current = infos.get(current).getLockOwnerId();
      }
      seen.addAll(path);
      int loop = path.indexOf(current);
      if (loop >= 0) {
        cycles.add(new LinkedHashSet<>(path.subList(loop, path.size())));
      }
    }
    return cycles;
  }

  /** The runtime's report whose threads carry exactly the cycle's thread names, or null. */
  private static Violation reportOf(Set<Long> cycle, Map<Long, ThreadInfo> infos,
      List<Violation> reports) {
    List<String> names = new ArrayList<>();
    for (long id : cycle) {
      names.add(infos.get(id).getThreadName());
    }
    names.sort(null);
    for (Violation report : reports) {
      List<String> reported = new ArrayList<>(report.threads());
      reported.sort(null);
      if (reported.equals(names)) {
        return report;
      }
    }
    return null;
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
