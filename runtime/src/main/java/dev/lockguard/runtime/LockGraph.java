package dev.lockguard.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock-order graph: a node per lock, an edge per observed "acquired B while holding A".
 *
 * <p>A known edge is found with a lock-free probe of the source node's edge table. Only a new edge
 * takes {@link #LOCK}, and it adds the edge and searches for a cycle in one critical section: two
 * threads adding {@code A -> B} and {@code B -> A} at the same moment are serialised, so the second
 * always sees the first and the cycle cannot be lost (the race of Guava's issue 2048).
 *
 * <p>{@link #LOCK} is a leaf: nothing else is acquired and no application code runs while it is
 * held, so it cannot take part in a deadlock with the application.
 */
final class LockGraph {
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static final NodeTable NODES = new NodeTable();
  private static final AtomicLong LOCKS_SEEN = new AtomicLong();
  private static final AtomicLong EDGES = new AtomicLong();
  /** Lock-sets of the cycles already reported, so each cycle is reported once. */
  private static final Set<String> REPORTED_CYCLES = new HashSet<>();
  /** Edges that are part of a reported single-thread cycle, for the later upgrade to ERROR. */
  private static final List<Cycle> WARNING_CYCLES = new ArrayList<>();

  private static int nextNodeId = 1;
  private static int searchEpoch;
  private static int diedSinceSweep;

  private LockGraph() {}

  /** A cycle found in the graph, in chain order starting with the edge that closed it. */
  record Cycle(List<Edge> edges) {}

  /** The node of {@code key}, created on first sight; {@code display} gives type and name. */
  static Node node(Object key, Object display, Site site) {
    int hash = System.identityHashCode(key);
    Node node = NODES.find(key, hash);
    if (node == null) {
      node = createNode(key, hash, display, site);
    } else if (node.anonymous && site.lockName != null) {
      node.name = site.lockName;
      node.anonymous = false;
    }
    return node;
  }

  /** The node of {@code key} if the graph knows it, without creating one. */
  static Node existing(Object key) {
    return NODES.find(key, System.identityHashCode(key));
  }

  private static Node createNode(Object key, int hash, Object display, Site site) {
    String type = LockNames.typeOf(display);
    boolean anonymous = site.lockName == null;
    String name = anonymous ? LockNames.anonymousName(display, key, hash) : site.lockName;
    LOCK.lock();
    try {
      Node existing = NODES.find(key, hash);
      if (existing != null) {
        return existing;
      }
      expungeDeadNodes();
      Node node = new Node(key, hash, nextNodeId++, name, anonymous, type, NODES.queue);
      NODES.insert(node);
      LOCKS_SEEN.incrementAndGet();
      return node;
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Adds a new edge unless another thread added it first, and searches for the cycle it closes.
   *
   * @return the new cycle to report, or null
   */
  static Cycle addEdge(Edge candidate) {
    LOCK.lock();
    try {
      Edge known = candidate.from.findEdge(candidate.to, candidate.fromShared, candidate.toShared);
      if (known != null) {
        if (known.threadId != candidate.threadId) {
          return markSecondThread(known);
        }
        return null;
      }
      if (candidate.from.dead || candidate.to.dead) {
        return null;
      }
      candidate.from.addEdge(candidate);
      EDGES.incrementAndGet();
      return findNewCycle(candidate);
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Records that a second thread took a known edge.
   *
   * @return a single-thread cycle containing the edge that is now cross-thread, or null
   */
  static Cycle secondThread(Edge edge) {
    LOCK.lock();
    try {
      return markSecondThread(edge);
    } finally {
      LOCK.unlock();
    }
  }

  private static Cycle markSecondThread(Edge edge) {
    if (edge.multiThread) {
      return null;
    }
    edge.multiThread = true;
    for (int i = 0; i < WARNING_CYCLES.size(); i++) {
      Cycle cycle = WARNING_CYCLES.get(i);
      if (cycle.edges().contains(edge)) {
        WARNING_CYCLES.remove(i);
        return cycle;
      }
    }
    return null;
  }

  static long locksSeen() {
    return LOCKS_SEEN.get();
  }

  static long edgeCount() {
    return EDGES.get();
  }

  static int liveNodes() {
    LOCK.lock();
    try {
      expungeDeadNodes();
      return NODES.size();
    } finally {
      LOCK.unlock();
    }
  }

  private static void expungeDeadNodes() {
    diedSinceSweep += NODES.expunge();
    if (diedSinceSweep > 1024 && diedSinceSweep > NODES.size()) {
      diedSinceSweep = 0;
      NODES.forEach(Node::purgeDeadEdges);
    }
  }

  /**
   * Breadth-first search for the shortest path {@code closing.to ~> closing.from} that,
   * together with {@code closing}, forms a cycle that can block.
   *
   * <p>A node blocks the thread arriving at it unless both the holder and the arriving thread use
   * it in shared (read) mode, so the search state is the pair (node, arrived-in-shared-mode).
   */
  private static Cycle findNewCycle(Edge closing) {
    int epoch = ++searchEpoch;
    ArrayDeque<Object> queue = new ArrayDeque<>();
    Node start = closing.to;
    visit(start, closing.toShared, null, false, epoch);
    queue.add(start);
    queue.add(closing.toShared);
    while (!queue.isEmpty()) {
      Node node = (Node) queue.poll();
      boolean arrivedShared = (Boolean) queue.poll();
      if (node == closing.from) {
        if (!(arrivedShared && closing.fromShared)) {
          return reportOnce(pathTo(node, arrivedShared, closing));
        }
        continue;
      }
      for (Edge edge : node.edges()) {
        if (edge == null || edge.to.dead || (arrivedShared && edge.fromShared)) {
          continue;
        }
        if (!visited(edge.to, edge.toShared, epoch)) {
          visit(edge.to, edge.toShared, edge, arrivedShared, epoch);
          queue.add(edge.to);
          queue.add(edge.toShared);
        }
      }
    }
    return null;
  }

  private static boolean visited(Node node, boolean shared, int epoch) {
    return node.searchEpoch == epoch && (node.visitedModes & (shared ? 2 : 1)) != 0;
  }

  /** Marks the search state (node, mode) reached along {@code parent} from a state in {@code from}. */
  private static void visit(Node node, boolean shared, Edge parent, boolean from, int epoch) {
    if (node.searchEpoch != epoch) {
      node.searchEpoch = epoch;
      node.visitedModes = 0;
    }
    node.visitedModes |= shared ? 2 : 1;
    if (shared) {
      node.parentShared = parent;
      node.parentSharedFrom = from;
    } else {
      node.parentExclusive = parent;
      node.parentExclusiveFrom = from;
    }
  }

  private static List<Edge> pathTo(Node end, boolean arrivedShared, Edge closing) {
    ArrayList<Edge> reversed = new ArrayList<>();
    Node node = end;
    boolean shared = arrivedShared;
    while (true) {
      Edge parent = shared ? node.parentShared : node.parentExclusive;
      if (parent == null) {
        break;
      }
      boolean previousMode = shared ? node.parentSharedFrom : node.parentExclusiveFrom;
      reversed.add(parent);
      node = parent.from;
      shared = previousMode;
    }
    ArrayList<Edge> chain = new ArrayList<>(reversed.size() + 1);
    chain.add(closing);
    for (int i = reversed.size() - 1; i >= 0; i--) {
      chain.add(reversed.get(i));
    }
    return chain;
  }

  private static Cycle reportOnce(List<Edge> chain) {
    long[] ids = new long[chain.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = chain.get(i).from.id;
    }
    java.util.Arrays.sort(ids);
    String key = java.util.Arrays.toString(ids);
    if (!REPORTED_CYCLES.add(key)) {
      return null;
    }
    Cycle cycle = new Cycle(List.copyOf(chain));
    if (!crossThread(cycle)) {
      WARNING_CYCLES.add(cycle);
    }
    return cycle;
  }

  /** True when the cycle's edges were taken by two or more threads. */
  static boolean crossThread(Cycle cycle) {
    long first = cycle.edges().get(0).threadId;
    for (Edge edge : cycle.edges()) {
      if (edge.multiThread || edge.threadId != first) {
        return true;
      }
    }
    return false;
  }
}
