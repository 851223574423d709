package dev.lockguard.internal.deadlock;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.Stacks;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.lang.management.LockInfo;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Words a real deadlock as a {@code DEADLOCK} report: the cycle of threads, the locks each holds
 * and waits for, and every thread's stack from where it waits.
 */
final class DeadlockReports {
  private DeadlockReports() {}

  /** The report of {@code cycle}, whose threads each wait for a lock the next one holds. */
  static Violation toViolation(List<ThreadInfo> cycle) {
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

  /** The name lockguard gave the lock ({@link LockNames#byIdentity}), else {@code Type@hash}. */
  private static String lockName(LockInfo lock) {
    if (lock == null) {
      return "unknown";
    }
    String known = LockNames.byIdentity(lock.getIdentityHashCode(), lock.getClassName());
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
