package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.lockorder.Node.Edge;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Site;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.internal.core.Stacks;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Words what the lock-order detector decided: a cycle in the graph as a {@code
 * POTENTIAL_DEADLOCK}, an acquisition out of rank as a {@code LOCK_ORDER_VIOLATION}, and the held
 * locks an edge remembers. Slow path only: these allocate freely.
 */
final class OrderReports {
  private OrderReports() {}

  /**
   * The finding of a cycle of lock instances just found, at the severity the graph gave it. Every
   * cycle through the same code over other instances of the same locks gets the same id, and the
   * report counts it under that id ({@code instanceCycles}) instead of printing it again.
   */
  static Violation cycle(LockGraph.Cycle cycle) {
    List<Edge> edges = cycle.edges();
    List<LockRef> locks = new ArrayList<>();
    List<EdgeRef> edgeRefs = new ArrayList<>();
    Set<String> threads = new LinkedHashSet<>();
    List<String> sites = new ArrayList<>();
    StringBuilder chain = new StringBuilder();
    for (Edge edge : edges) {
      locks.add(new LockRef(edge.from.name, edge.from.type));
      // A cycle that a take without a gate made a bug of its own: that take is the edge that
      // matters, by the thread that made it, with only the locks held every time.
      boolean narrowed = cycle.fresh && edge.narrowedBy != null;
      String thread = narrowed ? edge.narrowedBy : edge.threadName;
      StackTraceElement[] heldAt = narrowed ? edge.narrowedHeldAt : edge.heldAt;
      StackTraceElement[] acquiredAt = narrowed ? edge.narrowedAcquiredAt : edge.acquiredAt;
      edgeRefs.add(new EdgeRef(edge.from.name, edge.to.name, thread,
          Findings.frames(heldAt), Findings.frames(acquiredAt),
          narrowed ? heldEveryTime(edge) : edge.heldNames));
      threads.add(thread);
      sites.add(acquiredAt.length > 0 ? Stacks.callSite(acquiredAt).toString()
          : edge.acquireSite.toString());
      chain.append(edge.from.name).append(" -> ");
    }
    chain.append(edges.get(0).from.name);
    if (threads.size() == 1) {
      addSecondThread(edges, threads);
    }
    Severity severity = cycle.severity;
    Node gate = severity == Severity.INFO ? LockGraph.commonGate(cycle) : null;
    String message = switch (severity) {
      case ERROR -> "Lock-order cycle " + chain + ": threads " + quoted(threads)
          + " take these locks in opposite orders and deadlock if they run at the same moment.";
      case WARNING -> "Lock-order cycle " + chain + " seen in thread " + quoted(threads)
          + " only: two threads running these paths at once would deadlock.";
      case INFO -> "Lock-order cycle " + chain + " cannot deadlock: every edge of it was taken"
          + " while holding the gate lock " + (gate == null ? "(gone)" : gate.name)
          + ". It will deadlock if a path ever takes these locks without " 
          + (gate == null ? "the gate" : gate.name) + ".";
    };
    String id = Findings.stableId(Kind.POTENTIAL_DEADLOCK, idParts(sites, locks, edges));
    return new Violation(id, Kind.POTENTIAL_DEADLOCK, severity, message, List.copyOf(threads),
        locks, edgeRefs, sites);
  }

  /**
   * The finding of a cycle reported before whose severity rose (another thread took one of its
   * edges): one more occurrence of the finding, but no new cycle of lock instances.
   */
  static Violation risen(LockGraph.Cycle cycle) {
    Violation finding = cycle(cycle);
    return finding.withCounts(new Violation.Counts(1, 0, finding.threads().size()));
  }

  /** The edge's {@code from} and the gates it still has: the locks held at every take of it. */
  private static List<String> heldEveryTime(Edge edge) {
    List<String> held = new ArrayList<>();
    for (String name : edge.heldNames) {
      boolean kept = name.equals(edge.from.name);
      for (Node gate : edge.gates) {
        kept |= name.equals(gate.name);
      }
      if (kept && !held.contains(name)) {
        held.add(name);
      }
    }
    return held;
  }

  /**
   * Names the thread that made a cycle whose edges one thread took cross threads, by taking one
   * of its edges again: without it, an ERROR would name one thread only.
   */
  private static void addSecondThread(List<Edge> edges, Set<String> threads) {
    for (Edge edge : edges) {
      String second = edge.secondThreadName;
      if (second != null) {
        threads.add(second);
        return;
      }
    }
  }

  /**
   * The {@code order=ascending} finding: the thread of {@code ts} takes {@code node} while holding
   * {@code held[heldIndex]}, ranked at or above it. Lists every held lock with its rank.
   *
   * @param held the nodes of every lock the thread holds, outermost first
   */
  static Violation order(
      ThreadState ts, Node[] held, int heldIndex, Node node, StackTraceElement[] stack) {
    List<LockRef> locks = new ArrayList<>();
    StringBuilder holding = new StringBuilder();
    for (int i = 0; i < held.length; i++) {
      Node lock = held[i];
      locks.add(new LockRef(lock.name, lock.type));
      holding.append(i == 0 ? "" : ", ").append(lock.name).append(" (rank ").append(lock.rank)
          .append(')');
    }
    locks.add(new LockRef(node.name, node.type));
    String thread = ts.thread.getName();
    Site heldSite = Sites.get(ts.site(heldIndex));
    EdgeRef edge = new EdgeRef(held[heldIndex].name, node.name, thread,
        Findings.frames(Stacks.heldAt(heldSite, stack)), Findings.frames(stack), names(held));
    String acquired = stack.length > 0 ? Stacks.callSite(stack).toString() : "unknown";
    List<String> sites = List.of(acquired, heldSite.toString());
    String message = "Lock Order Violation: thread \"" + thread + "\" takes " + node.name
        + " (rank " + node.rank + ") while holding " + holding
        + "; a thread may only take locks in ascending rank.";
    return new Violation(Findings.stableId(Kind.LOCK_ORDER_VIOLATION, sites), Kind.LOCK_ORDER_VIOLATION,
        Severity.ERROR, message, List.of(thread), locks, List.of(edge), sites);
  }

  /** The names of {@code held}, in order. */
  static List<String> names(Node[] held) {
    List<String> names = new ArrayList<>(held.length);
    for (Node node : held) {
      names.add(node.name);
    }
    return names;
  }

  /**
   * The sites plus what names the locks stably, never an identity hash (it changes from run to
   * run): a field or explicit name; for an anonymous lock (a parameter, a local) its type and the
   * frame that called the method which took it, where the lock was handed in. Two different lock
   * pairs inverted through one helper method then get two ids, while one code path run over many
   * instances of the same locks gets one.
   */
  private static List<String> idParts(List<String> sites, List<LockRef> locks, List<Edge> edges) {
    List<String> parts = new ArrayList<>(sites);
    for (int i = 0; i < edges.size(); i++) {
      Edge edge = edges.get(i);
      Node node = edge.from;
      parts.add("lock:" + (node.anonymous ? locks.get(i).type() + " from " + caller(edge)
          : node.name));
    }
    return parts;
  }

  /**
   * The first application frame below the one where the edge's first lock was taken: where the
   * lock was handed in. Written without module or loader prefixes and never a JDK frame, whose
   * line numbers change between JDK builds; "" if there is none.
   */
  private static String caller(Edge edge) {
    for (int i = 1; i < edge.heldAt.length; i++) {
      StackTraceElement frame = edge.heldAt[i];
      if (!Stacks.isJdk(frame.getClassName())) {
        return frame.getClassName() + "." + frame.getMethodName() + "(" + frame.getFileName()
            + ":" + frame.getLineNumber() + ")";
      }
    }
    return "";
  }

  private static String quoted(Set<String> names) {
    StringBuilder text = new StringBuilder();
    int i = 0;
    for (String name : names) {
      if (i > 0) {
        text.append(i == names.size() - 1 ? " and " : ", ");
      }
      text.append('"').append(name).append('"');
      i++;
    }
    return text.toString();
  }
}
