package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.internal.core.Stacks;

import dev.lockguard.report.Violation;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;

/**
 * Lock ranks and names set through the public API, and the recipe's ascending-order rule as
 * {@code OrderedLocks} applies it. Not a hook path: these calls may allocate.
 */
public final class Ranks {
  private Ranks() {}

  public static void setRank(Object lock, int rank) {
    Node node = nodeOf(lock);
    node.rank = rank;
  }

  public static void setName(Object lock, String name) {
    Node node = nodeOf(lock);
    node.name = name;
    node.anonymous = false;
  }

  public static long rankOf(Object lock) {
    return nodeOf(lock).rank;
  }

  /** Sorts by rank, ties broken by first-seen order, so that equal ranks still sort one way. */
  public static void sortByRank(Lock[] locks) {
    Node[] nodes = new Node[locks.length];
    Integer[] order = new Integer[locks.length];
    for (int i = 0; i < locks.length; i++) {
      nodes[i] = nodeOf(locks[i]);
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> nodes[a].rank != nodes[b].rank
        ? Long.compare(nodes[a].rank, nodes[b].rank) : Integer.compare(nodes[a].id, nodes[b].id));
    Lock[] copy = locks.clone();
    for (int i = 0; i < locks.length; i++) {
      locks[i] = copy[order[i]];
    }
  }

  /**
   * The violation message if the calling thread holds a lock ranked at or above {@code lowest}
   * (re-entry of a held lock is allowed), else null; reports the violation when the agent runs.
   * The caller throws.
   */
  public static String checkAboveHeld(Lock lowest) {
    ThreadState ts = ThreadState.current();
    Object key = LockKeys.keyOf(lowest);
    if (ts.indexOf(key) >= 0) {
      return null;
    }
    Node node = nodeOf(lowest);
    for (int i = 0; i < ts.depth; i++) {
      Node held = LockOrderDetector.heldNode(ts, i);
      if (held.rank >= node.rank) {
        Violation violation = OrderReports.order(ts, LockOrderDetector.heldNodes(ts), i, node,
            Stacks.current(Stacks.Trim.HOOK));
        if (Config.agentActive()) {
          Findings.report(violation);
        }
        return violation.message();
      }
    }
    return null;
  }

  public static void lock(Lock lock) {
    Hooks.lock(lock, Sites.UNKNOWN);
  }

  public static void unlock(Lock lock) {
    Hooks.unlock(lock, Sites.UNKNOWN);
  }

  private static Node nodeOf(Object lock) {
    return LockGraph.node(LockKeys.keyOf(lock), lock, Sites.get(Sites.UNKNOWN));
  }
}
