package dev.lockguard.internal.deadlock;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Ledger;
import dev.lockguard.internal.lockorder.LockOrderDetector;
import dev.lockguard.internal.core.Faults;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.Stacks;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a real deadlock into a {@code DEADLOCK} report: the cycle of threads, the locks each holds
 * and waits for, and every thread's stack.
 *
 * <p>{@link #findDeadlocks()} asks {@link ThreadMXBean#findDeadlockedThreads()} now; the agent
 * also runs it periodically on a daemon thread ({@code watchdog=MILLIS}, 0 to disable), reporting
 * each deadlock once, and again only if it turns worse (a thread that waited with a timeout now
 * waits for good).
 */
public final class Watchdog {
  /** The deadlocks reported, by id, so that each is published once, then only if it turns worse. */
  private static final Ledger<String, Void> REPORTED = new Ledger<>(Ledger.Ties.DROP);

  private Watchdog() {}

  /** Starts the periodic check on a daemon thread; 0 or less disables it. */
  public static void start(long periodMillis) {
    if (periodMillis <= 0) {
      return;
    }
    Thread thread = new Thread(() -> watch(periodMillis), "lockguard-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  private static void watch(long periodMillis) {
    while (true) {
      try {
        Thread.sleep(periodMillis);
        reportNew();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | LinkageError e) {
        Faults.hookFailed(e);
        return;
      }
    }
  }

  /** One look of the watchdog: reports the deadlocks present now that it did not report before. */
  static void reportNew() {
    for (Violation violation : findDeadlocks()) {
      Findings.publishOnce(REPORTED, violation.id(), violation.severity(), () -> violation);
    }
  }

  /** Forgets the deadlocks reported so far (unit tests only). */
  public static void reset() {
    REPORTED.clear();
  }

  /** The threads deadlocked right now, one violation per cycle; empty if none. */
  public static List<Violation> findDeadlocks() {
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
    List<Violation> violations = new ArrayList<>();
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
          violations.add(toViolation(cycle));
        }
      }
    }
    return violations;
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

  private static Violation toViolation(List<ThreadInfo> cycle) {
    List<String> threads = new ArrayList<>();
    List<LockRef> locks = new ArrayList<>();
    List<EdgeRef> edges = new ArrayList<>();
    List<String> sites = new ArrayList<>();
    StringBuilder story = new StringBuilder();
    for (int i = 0; i < cycle.size(); i++) {
      ThreadInfo info = cycle.get(i);
      ThreadInfo previous = cycle.get((i + cycle.size() - 1) % cycle.size());
      LockInfo wanted = info.getLockInfo();
      LockInfo held = previous.getLockInfo(); // the previous thread waits for what this one holds
      String wantedName = lockName(wanted);
      String heldName = lockName(held);
      threads.add(info.getThreadName());
      locks.add(new LockRef(wantedName, typeName(wanted)));
      StackTraceElement[] stack = Stacks.trim(info.getStackTrace(), Stacks.Trim.WAITER);
      edges.add(new EdgeRef(heldName, wantedName, info.getThreadName(),
          Findings.frames(heldAt(info, held)), Findings.frames(stack)));
      sites.add(stack.length > 0 ? stack[0].toString() : info.getThreadName());
      story.append(i == 0 ? "" : "; ").append('"').append(info.getThreadName())
          .append("\" holds ").append(heldName).append(" and waits for ").append(wantedName);
    }
    boolean timed = false;
    for (ThreadInfo info : cycle) {
      timed |= info.getThreadState() == Thread.State.TIMED_WAITING;
    }
    // A thread in a timed wait (tryLock with a timeout) gives up eventually: the threads are
    // stuck on each other now, but not for ever.
    String message = "Deadlock: " + story + (timed
        ? ". At least one of them waits with a timeout, so they are stuck until it gives up."
        : ". These threads will never proceed.");
    return new Violation(Findings.stableId(Kind.DEADLOCK, sites), Kind.DEADLOCK,
        timed ? Severity.WARNING : Severity.ERROR, message, threads, locks, edges, sites);
  }

  /** Where the thread took {@code held}: the frames from the monitor's stack depth, if a monitor. */
  private static StackTraceElement[] heldAt(ThreadInfo info, LockInfo held) {
    if (held == null) {
      return new StackTraceElement[0];
    }
    StackTraceElement[] stack = info.getStackTrace();
    for (MonitorInfo monitor : info.getLockedMonitors()) {
      if (monitor.getIdentityHashCode() == held.getIdentityHashCode()) {
        int depth = monitor.getLockedStackDepth();
        if (depth >= 0 && depth < stack.length) {
          return Arrays.copyOfRange(stack, depth, stack.length);
        }
      }
    }
    return new StackTraceElement[0];
  }

  /** The graph's name for the lock when lockguard knows it, else {@code Type@hash}. */
  private static String lockName(LockInfo lock) {
    if (lock == null) {
      return "unknown";
    }
    String known = LockOrderDetector.nameByIdentityHash(lock.getIdentityHashCode(), lock.getClassName());
    if (known != null) {
      return known;
    }
    return LockNames.simpleName(lock.getClassName()) + "@"
        + Integer.toHexString(lock.getIdentityHashCode());
  }

  private static String typeName(LockInfo lock) {
    return lock == null ? "unknown" : lock.getClassName();
  }
}
