package dev.lockguard.internal.deadlock;

import dev.lockguard.report.Violation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real deadlocks in this JVM now, as cycles of threads: the one walk over {@link
 * ThreadMXBean#findDeadlockedThreads()} that the watchdog and the JUnit extension share.
 *
 * <p>Public for the JUnit extension, which matches a deadlock with the threads a test owns by
 * their ids (thread names need not be unique); not an API.
 */
public final class DeadlockCycles {
  private DeadlockCycles() {}

  /**
   * One deadlock: its threads, each waiting for a lock that the next one holds (the last waits
   * for the first's), and its report.
   */
  public record Cycle(List<ThreadInfo> threads, Violation report) {
    public Cycle {
      threads = List.copyOf(threads);
    }

    /** The ids of the cycle's threads, in cycle order. */
    public Set<Long> threadIds() {
      Set<Long> ids = new LinkedHashSet<>();
      for (ThreadInfo thread : threads) {
        ids.add(thread.getThreadId());
      }
      return ids;
    }
  }

  /**
   * The deadlocks present now, one per cycle, in the order of their lowest thread id; empty if
   * none. A thread that waits for a deadlocked thread without being in the cycle is left out.
   */
  public static List<Cycle> findNow() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] ids = threads.isSynchronizerUsageSupported()
        ? threads.findDeadlockedThreads() : threads.findMonitorDeadlockedThreads();
    if (ids == null) {
      return List.of();
    }
    Map<Long, ThreadInfo> infos = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(ids, true, true)) {
      if (info != null) {
        infos.put(info.getThreadId(), info);
      }
    }
    List<Cycle> cycles = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    for (long id : sorted) {
      if (!seen.contains(id) && infos.containsKey(id)) {
        List<ThreadInfo> cycle = cycleFrom(infos, id);
        for (ThreadInfo info : cycle) {
          seen.add(info.getThreadId());
        }
        if (!cycle.isEmpty()) {
          cycles.add(new Cycle(cycle, DeadlockReports.toViolation(cycle)));
        }
      }
    }
    return cycles;
  }

  /** Follows "waits for a lock owned by" from {@code start} until it comes back. */
  private static List<ThreadInfo> cycleFrom(Map<Long, ThreadInfo> infos, long start) {
    List<ThreadInfo> path = new ArrayList<>();
    List<Long> visited = new ArrayList<>();
    long current = start;
    while (infos.containsKey(current) && !visited.contains(current)) {
      visited.add(current);
      path.add(infos.get(current));
      current = infos.get(current).getLockOwnerId();
    }
    int loopStart = visited.indexOf(current);
    return loopStart < 0 ? List.of() : path.subList(loopStart, path.size());
  }
}
