package dev.lockguard.internal.deadlock;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.Reporter;
import dev.lockguard.internal.core.Site;
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
import java.util.HashSet;
import java.util.List;

/**
 * Words a real deadlock as a {@code DEADLOCK} report: the cycle of threads, the locks each holds
 * (and where it took it) and waits for, every thread's stack from where it waits, and the
 * {@code POTENTIAL_DEADLOCK} it confirms. Locks are named and typed as the lock-order detector
 * knows them, frames written as in every other report ({@link Stacks.Trim#WAITER}).
 */
final class DeadlockReports {
  private static final String JDK_LOCKS = "java.util.concurrent.locks.";

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
          Findings.frames(heldAt(info, held, stack)), Findings.frames(stack)));
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
    String confirmed = confirmed(sites);
    if (confirmed != null) {
      message += " It confirms POTENTIAL_DEADLOCK " + confirmed + ", the lock-order cycle of"
          + " the same acquisitions.";
    }
    return new Violation(Findings.stableId(Kind.DEADLOCK, sites), Kind.DEADLOCK,
        timed ? Severity.WARNING : Severity.ERROR, message, threads, locks, edges, sites)
        .withConfirms(confirmed);
  }

  /**
   * The id of the {@code POTENTIAL_DEADLOCK} reported in this JVM whose acquisitions are the ones
   * the deadlocked threads wait in (the same sites), or null.
   */
  private static String confirmed(List<String> sites) {
    for (Violation known : Reporter.violations()) {
      if (known.kind() == Kind.POTENTIAL_DEADLOCK
          && new HashSet<>(known.sites()).equals(new HashSet<>(sites))) {
        return known.id();
      }
    }
    return null;
  }

  /**
   * Where the thread took {@code held}: the site its held-lock stack recorded, on top of the
   * callers still on {@code stack}; else, for a monitor, the frame that holds it (its line is
   * where that frame is now, not where it took the monitor); else nothing.
   */
  private static StackTraceElement[] heldAt(
      ThreadInfo info, LockInfo held, StackTraceElement[] stack) {
    if (held == null) {
      return new StackTraceElement[0];
    }
    Site site = LockNames.heldAt(
        info.getThreadId(), held.getIdentityHashCode(), held.getClassName());
    if (site != null) {
      return Stacks.heldAt(site, stack);
    }
    StackTraceElement[] raw = info.getStackTrace();
    for (MonitorInfo monitor : info.getLockedMonitors()) {
      if (monitor.getIdentityHashCode() == held.getIdentityHashCode()) {
        int depth = monitor.getLockedStackDepth();
        if (depth >= 0 && depth < raw.length) {
          return Stacks.trim(Arrays.copyOfRange(raw, depth, raw.length), Stacks.Trim.WAITER);
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
    return LockNames.simpleName(typeName(lock)) + "@"
        + Integer.toHexString(lock.getIdentityHashCode());
  }

  /**
   * The type the lock-order detector gave the lock, else the class the thread dump shows, with a
   * JDK lock's synchronizer ({@code ReentrantLock$NonfairSync}) written as the lock it belongs to.
   */
  private static String typeName(LockInfo lock) {
    if (lock == null) {
      return "unknown";
    }
    String known = LockNames.typeByIdentity(lock.getIdentityHashCode(), lock.getClassName());
    if (known != null) {
      return known;
    }
    String shown = lock.getClassName();
    int nested = shown.indexOf('$');
    return shown.startsWith(JDK_LOCKS) && nested > 0 ? shown.substring(0, nested) : shown;
  }
}
