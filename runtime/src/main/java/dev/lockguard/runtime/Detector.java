package dev.lockguard.runtime;

import dev.lockguard.LockOrderViolationException;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lock-order detector: updates a thread's held locks and the graph on each acquisition.
 *
 * <p>Callers ({@link Hooks}) have set the thread's re-entry guard. The fast path (re-entry, or
 * only known edges) allocates nothing: a scan of the held locks and one lock-free probe per held
 * lock. A new edge captures one stack and takes the graph lock.
 */
final class Detector {
  private static final String RUNTIME_PACKAGE = "dev.lockguard.runtime.";

  private Detector() {}

  /**
   * Records what acquiring {@code key} means for the lock order, before the thread may block.
   *
   * @param blocking false for an untimed {@code tryLock}, which cannot block and so adds no edge
   */
  static void beforeAcquire(
      ThreadState ts, Object key, Object lock, int siteId, boolean shared, boolean blocking) {
    ts.pendingKey = null;
    if (ts.indexOf(key) >= 0) {
      return; // re-entry cannot block and adds no edge
    }
    int hash = System.identityHashCode(key); // before the thread locks it: see LockGraph.node
    ts.pendingKey = key;
    ts.pendingHash = hash;
    ts.pendingNode = null;
    boolean ascending = Settings.order == Settings.Order.ASCENDING;
    if (ts.depth == 0 && !ascending) {
      return; // no edge: the node is made only if a lock is later taken under this one
    }
    Site site = Sites.get(siteId);
    Node node = LockGraph.node(key, hash, lock, site);
    ts.pendingNode = node;
    if (!blocking) {
      return;
    }
    StackTraceElement[] stack = null;
    for (int i = 0; i < ts.depth; i++) {
      Node held = ts.nodeAt(i);
      Edge edge = held.findEdge(node, ts.shared[i], shared);
      if (edge == null) {
        if (stack == null) {
          stack = currentStack();
        }
        Edge candidate = newEdge(ts, i, node, shared, site, stack);
        LockGraph.Cycle cycle = LockGraph.addEdge(candidate, !ascending);
        edge = LockGraph.stored(candidate);
        if (cycle != null) {
          Violation violation = toViolation(cycle);
          candidate.violationMessage = violation.message();
          Reporter.report(violation);
        }
      }
      checkKnownEdge(ts, i, node, edge, ascending);
    }
  }

  /** The per-edge checks of every acquisition: second thread, gates, rank, throw policy. */
  private static void checkKnownEdge(
      ThreadState ts, int heldIndex, Node node, Edge edge, boolean ascending) {
    if (edge.threadId != ts.threadId && !edge.multiThread) {
      reportRisen(LockGraph.secondThread(edge));
    }
    Node[] gates = edge.gates;
    if (gates.length > 0 && !allHeld(ts, gates)) {
      reportRisen(LockGraph.narrowGates(edge, ts));
    }
    if (ascending) {
      Node held = ts.nodes[heldIndex];
      if (held.rank >= node.rank) {
        if (!edge.orderReported) {
          edge.orderReported = true;
          Violation violation = orderViolation(ts, heldIndex, node, currentStack());
          edge.violationMessage = violation.message();
          Reporter.report(violation);
        }
        throwIfPolicy(edge);
      }
    } else if (edge.closesCycle) {
      throwIfPolicy(edge);
    }
  }

  private static void throwIfPolicy(Edge edge) {
    if (Settings.policy == Settings.Policy.THROW) {
      String message = edge.violationMessage;
      throw new LockOrderViolationException(message != null ? message
          : "Lock order violation: " + edge.from.name + " -> " + edge.to.name);
    }
  }

  static boolean allHeld(ThreadState ts, Node[] gates) {
    for (Node gate : gates) {
      Object key = gate.get();
      if (key == null || ts.indexOf(key) < 0) {
        return false;
      }
    }
    return true;
  }

  private static void reportRisen(List<LockGraph.Cycle> cycles) {
    for (LockGraph.Cycle cycle : cycles) {
      Reporter.report(toViolation(cycle));
    }
  }

  /**
   * The {@code order=ascending} finding: taking {@code node} while holding a lock ranked at or
   * above it. Lists every held lock with its rank.
   */
  static Violation orderViolation(
      ThreadState ts, int heldIndex, Node node, StackTraceElement[] stack) {
    Node held = ts.nodeAt(heldIndex);
    List<LockRef> locks = new ArrayList<>();
    StringBuilder holding = new StringBuilder();
    for (int i = 0; i < ts.depth; i++) {
      Node lock = ts.nodeAt(i);
      locks.add(new LockRef(lock.name, lock.type));
      holding.append(i == 0 ? "" : ", ").append(lock.name).append(" (rank ").append(lock.rank)
          .append(')');
    }
    locks.add(new LockRef(node.name, node.type));
    String thread = ts.thread.getName();
    Site heldSite = Sites.get(ts.sites[heldIndex]);
    EdgeRef edge = new EdgeRef(held.name, node.name, thread,
        frames(heldStack(heldSite, stack)), frames(stack), heldNames(ts));
    String acquired = stack.length > 0 ? stack[0].toString() : "unknown";
    List<String> sites = List.of(acquired, heldSite.toString());
    String message = "Lock Order Violation: thread \"" + thread + "\" takes " + node.name
        + " (rank " + node.rank + ") while holding " + holding
        + "; a thread may only take locks in ascending rank.";
    return new Violation(stableId(Kind.LOCK_ORDER_VIOLATION, sites), Kind.LOCK_ORDER_VIOLATION,
        Severity.ERROR, message, List.of(thread), locks, List.of(edge), sites);
  }

  /** Pushes {@code key} on the thread's held locks, or counts a re-entry. */
  static void afterAcquire(ThreadState ts, Object key, Object lock, int siteId, boolean shared) {
    Faults.injectFailure(); // test-only: a no-op unless -Dlockguard.test.failHooks is set
    ts.counter.acquisitions++;
    int index = ts.indexOf(key);
    if (index >= 0) {
      ts.counts[index]++;
      return;
    }
    boolean pending = ts.pendingKey == key;
    Node node = pending ? ts.pendingNode : null; // else made lazily by nodeAt
    int hash = pending ? ts.pendingHash : System.identityHashCode(key);
    ts.pendingKey = null;
    ts.pendingNode = null;
    ts.push(key, hash, node, siteId, shared, 1);
  }

  static void release(ThreadState ts, Object key) {
    ts.release(key);
  }

  private static Edge newEdge(
      ThreadState ts, int heldIndex, Node to, boolean shared, Site site,
      StackTraceElement[] stack) {
    Node from = ts.nodeAt(heldIndex);
    Site heldSite = Sites.get(ts.sites[heldIndex]);
    Node[] alsoHeld = new Node[ts.depth - 1];
    for (int i = 0, j = 0; i < ts.depth; i++) {
      if (i != heldIndex) {
        alsoHeld[j++] = ts.nodeAt(i);
      }
    }
    return new Edge(heldNames(ts), from, to, ts.shared[heldIndex], shared, ts.threadId,
        ts.thread.getName(), heldStack(heldSite, stack), stack, site, alsoHeld);
  }

  /** The current stack without lockguard's own frames on top. */
  static StackTraceElement[] currentStack() {
    StackTraceElement[] stack = new Throwable().getStackTrace();
    int skip = 0;
    while (skip < stack.length && stack[skip].getClassName().startsWith(RUNTIME_PACKAGE)) {
      skip++;
    }
    StackTraceElement[] trimmed = new StackTraceElement[stack.length - skip];
    System.arraycopy(stack, skip, trimmed, 0, trimmed.length);
    return trimmed;
  }

  /**
   * Where the thread took a lock it still holds: the site's frame on top of the callers that are
   * still on the stack. Only the site is known for certain when its method has returned since.
   */
  static StackTraceElement[] heldStack(Site heldSite, StackTraceElement[] stack) {
    if (heldSite.id == Sites.UNKNOWN) {
      return stack;
    }
    for (int i = 0; i < stack.length; i++) {
      StackTraceElement frame = stack[i];
      if (frame.getClassName().equals(heldSite.className)
          && frame.getMethodName().equals(heldSite.methodName)) {
        StackTraceElement[] held = new StackTraceElement[stack.length - i];
        held[0] = heldSite.frame();
        System.arraycopy(stack, i + 1, held, 1, held.length - 1);
        return held;
      }
    }
    return new StackTraceElement[] {heldSite.frame()};
  }

  private static void reportCycle(LockGraph.Cycle cycle) {
    if (cycle != null) {
      Reporter.report(toViolation(cycle));
    }
  }

  static Violation toViolation(LockGraph.Cycle cycle) {
    List<Edge> edges = cycle.edges();
    List<LockRef> locks = new ArrayList<>();
    List<EdgeRef> edgeRefs = new ArrayList<>();
    Set<String> threads = new LinkedHashSet<>();
    List<String> sites = new ArrayList<>();
    StringBuilder chain = new StringBuilder();
    for (Edge edge : edges) {
      locks.add(new LockRef(edge.from.name, edge.from.type));
      edgeRefs.add(new EdgeRef(edge.from.name, edge.to.name, edge.threadName,
          frames(edge.heldAt), frames(edge.acquiredAt), edge.heldNames));
      threads.add(edge.threadName);
      sites.add(edge.acquiredAt.length > 0 ? edge.acquiredAt[0].toString() : edge.acquireSite.toString());
      chain.append(edge.from.name).append(" -> ");
    }
    chain.append(edges.get(0).from.name);
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
    String id = stableId(Kind.POTENTIAL_DEADLOCK, idParts(sites, locks, edges));
    return new Violation(id, Kind.POTENTIAL_DEADLOCK, severity, message, List.copyOf(threads),
        locks, edgeRefs, sites);
  }

  /**
   * The sites plus what names the locks stably: a field or explicit name, or for an anonymous
   * lock only its type (its hash changes from run to run). Two different lock pairs inverted
   * through one helper method then get two ids.
   */
  private static List<String> idParts(List<String> sites, List<LockRef> locks, List<Edge> edges) {
    List<String> parts = new ArrayList<>(sites);
    for (int i = 0; i < edges.size(); i++) {
      Node node = edges.get(i).from;
      parts.add("lock:" + (node.anonymous ? locks.get(i).type() : node.name));
    }
    return parts;
  }

  /** A hash of the kind and the sorted sites: the same bug gets the same id in every run. */
  static String stableId(Kind kind, List<String> sites) {
    long hash = 0xcbf29ce484222325L;
    hash = fnv(hash, kind.name());
    for (String site : new TreeSet<>(sites)) {
      hash = fnv(hash, site);
    }
    return String.format("%016x", hash);
  }

  private static long fnv(long hash, String text) {
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash ^ 0xff;
  }

  /** The names of every lock the thread holds, outermost first (slow path only). */
  private static List<String> heldNames(ThreadState ts) {
    List<String> names = new ArrayList<>(ts.depth);
    for (int i = 0; i < ts.depth; i++) {
      names.add(ts.nodeAt(i).name);
    }
    return names;
  }

  static List<String> frames(StackTraceElement[] stack) {
    List<String> frames = new ArrayList<>(stack.length);
    for (StackTraceElement frame : stack) {
      frames.add(frame.toString());
    }
    return frames;
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
