package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.core.Faults;
import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Statistics;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.PerThread;
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
 * The lock-order detector: updates a thread's held locks and the graph on each acquisition.
 *
 * <p>Callers ({@link Hooks}) have set the thread's re-entry guard. The fast path (re-entry, or
 * only known edges) allocates nothing: a scan of the held locks and one lock-free probe per held
 * lock. A new edge captures one stack and takes the graph lock.
 */
public final class LockOrderDetector {
  /**
   * Graph mode takes the outermost lock of a thread on a fast path (nothing to check, no edge).
   * Ascending mode ranks every lock at first sight, so it takes the full path. Set by
   * {@link #configure}; a plain static so that the hook reads one field.
   */
  static volatile boolean fastOutermost = true;

  private static volatile boolean ascending;
  private static volatile boolean throwing;

  private LockOrderDetector() {}

  /**
   * Starts the lock-order detector with the options of {@code config}: reads them, opens the
   * read-write locks' internals, starts the graph cleaner and contributes its counters.
   */
  public static void start(Config config) {
    configure(config);
    LockKeys.initReadWriteAccess();
    LockGraph.startCleaner();
    Statistics.contribute(Statistics.Stat.LOCKS_SEEN, LockGraph::locksSeen);
    Statistics.contribute(Statistics.Stat.EDGES, LockGraph::edgeCount);
  }

  /** Reads the lock-order options of {@code config} (also for unit tests). */
  public static void configure(Config config) {
    ascending = config.order() == Config.Order.ASCENDING;
    throwing = config.policy() == Config.Policy.THROW;
    fastOutermost = !ascending;
  }

  /**
   * Forgets the graph, the reported cycles and the options (unit tests only): locks seen before
   * are strangers again.
   */
  public static void reset() {
    LockGraph.reset();
    configure(Config.LIBRARY);
  }

  /** How many times the calling thread holds {@code lock} (its re-entry count), or 0 (tests). */
  public static int holdCount(Object lock) {
    ThreadState ts = ThreadState.current();
    int index = ts.indexOf(LockKeys.keyOf(lock));
    return index < 0 ? 0 : ts.counts[index];
  }

  /** How many distinct locks the calling thread holds now (tests). */
  public static int heldLocks() {
    return ThreadState.current().depth;
  }

  /** Whether the graph has the edge {@code from -> to}, both taken exclusively (tests). */
  public static boolean hasEdge(Object from, Object to) {
    Node fromNode = LockGraph.existing(LockKeys.keyOf(from));
    Node toNode = LockGraph.existing(LockKeys.keyOf(to));
    return fromNode != null && toNode != null && fromNode.findEdge(toNode, false, false) != null;
  }

  /**
   * The graph's name of a live lock with this identity hash and class, or null: how the
   * deadlock watchdog names the locks the JVM reports.
   */
  public static String nameByIdentityHash(int hash, String className) {
    return LockGraph.nameByIdentityHash(hash, className);
  }

  /** Live nodes in the lock-order graph, after dropping collected locks (for tests and stats). */
  public static int liveLocks() {
    return LockGraph.liveNodes();
  }

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
    boolean ascending = LockOrderDetector.ascending;
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
          stack = Stacks.current(Stacks.Trim.HOOK);
        }
        Edge candidate = newEdge(ts, i, node, shared, site, stack);
        LockGraph.Cycle cycle = LockGraph.addEdge(candidate, !ascending);
        edge = LockGraph.stored(candidate);
        if (cycle != null) {
          Violation violation = toViolation(cycle);
          candidate.violationMessage = violation.message();
          Findings.report(violation);
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
          Violation violation = orderViolation(ts, heldIndex, node, Stacks.current(Stacks.Trim.HOOK));
          edge.violationMessage = violation.message();
          Findings.report(violation);
        }
        throwIfPolicy(edge);
      }
    } else if (edge.closesCycle) {
      throwIfPolicy(edge);
    }
  }

  private static void throwIfPolicy(Edge edge) {
    if (throwing) {
      String message = edge.violationMessage;
      throw new PerThread.Deliberate(Config.current().violation().apply(message != null ? message
          : "Lock order violation: " + edge.from.name + " -> " + edge.to.name));
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
      Findings.report(toViolation(cycle));
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
        Findings.frames(heldStack(heldSite, stack)), Findings.frames(stack), heldNames(ts));
    String acquired = stack.length > 0 ? stack[0].toString() : "unknown";
    List<String> sites = List.of(acquired, heldSite.toString());
    String message = "Lock Order Violation: thread \"" + thread + "\" takes " + node.name
        + " (rank " + node.rank + ") while holding " + holding
        + "; a thread may only take locks in ascending rank.";
    return new Violation(Findings.stableId(Kind.LOCK_ORDER_VIOLATION, sites), Kind.LOCK_ORDER_VIOLATION,
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
          Findings.frames(edge.heldAt), Findings.frames(edge.acquiredAt), edge.heldNames));
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
    String id = Findings.stableId(Kind.POTENTIAL_DEADLOCK, idParts(sites, locks, edges));
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

  /** The names of every lock the thread holds, outermost first (slow path only). */
  private static List<String> heldNames(ThreadState ts) {
    List<String> names = new ArrayList<>(ts.depth);
    for (int i = 0; i < ts.depth; i++) {
      names.add(ts.nodeAt(i).name);
    }
    return names;
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
