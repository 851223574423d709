package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.lockorder.Node.Edge;
import dev.lockguard.internal.core.Faults;
import dev.lockguard.internal.core.Ledger;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.Lockset;
import dev.lockguard.internal.core.Site;

import dev.lockguard.report.OrderGraph;
import dev.lockguard.report.Violation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  /**
   * The cycles reported, keyed by their lock instances and kept with their edges: a cycle over the
   * same instances is reported once, then only as its severity rises. A cycle over other instances
   * through the same code is reported too, under the same finding id, and the report counts it
   * there instead of printing it again ({@code Reporter}).
   */
  private static final Ledger<String, List<Edge>> REPORTED_CYCLES = new Ledger<>();
  /** Reported cycles below ERROR (one thread only, or gated), whose severity may still rise. */
  private static final List<Cycle> OPEN_CYCLES = new ArrayList<>();
  /**
   * Cycles found but not reported because a shorter one over the same threads contains them
   * ({@link #subsumed}), by key: reported if an edge of theirs is later taken without the lock that
   * made them so. At most {@value #MAX_SUBSUMED}; beyond that a subsumed cycle is forgotten.
   */
  private static final Map<String, Cycle> SUBSUMED_CYCLES = new HashMap<>();
  private static final int MAX_SUBSUMED = 1024;

  /**
   * Bumped by {@link #reset}: threads' validated chains ({@code ThreadState.knownChain}) hold
   * nodes of the graph they were validated in, and a chain of another generation is forgotten.
   */
  static volatile int generation;

  private static int nextNodeId = 1;
  private static int searchEpoch;
  private static int diedSinceSweep;

  private LockGraph() {}

  /** A cycle found in the graph, in chain order starting with the edge that closed it. */
  static final class Cycle {
    /** The ids of the cycle's locks, sorted: what the cycle is reported under. */
    private final String key;
    private final List<Edge> edges;
    /** The severity last reported; guarded by the graph lock. */
    Violation.Severity severity;
    /**
     * True while the cycle has not been reported yet: it was subsumed by a shorter one until an
     * edge of it was taken without the lock that made it so; its first report is a new cycle.
     */
    boolean fresh;

    Cycle(String key, List<Edge> edges) {
      this.key = key;
      this.edges = edges;
    }

    List<Edge> edges() {
      return edges;
    }
  }

  /** Forgets every node, edge and reported cycle (unit tests only). */
  static void reset() {
    LOCK.lock();
    try {
      generation++;
      NODES.clear();
      REPORTED_CYCLES.clear();
      OPEN_CYCLES.clear();
      SUBSUMED_CYCLES.clear();
      LOCKS_SEEN.set(0);
      EDGES.set(0);
      nextNodeId = 1;
      diedSinceSweep = 0;
    } finally {
      LOCK.unlock();
    }
  }

  /** The node of {@code key}, created on first sight; {@code display} gives type and name. */
  static Node node(Object key, Object display, Site site) {
    return node(key, System.identityHashCode(key), display, site);
  }

  /**
   * The node of {@code key} whose identity hash the caller took already. Hooks take it before
   * the thread locks a monitor: HotSpot answers {@code identityHashCode} from the object header,
   * but for a monitor the thread holds, the header is displaced and it has to take a slow path.
   */
  static Node node(Object key, int hash, Object display, Site site) {
    Node node = NODES.find(key, hash);
    if (node == null) {
      node = createNode(key, hash, display, site);
    } else if (node.anonymous && site.lockName != null && !site.jdk) {
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
    boolean anonymous = site.lockName == null || site.jdk;
    String name = site.lockName == null ? LockNames.anonymousName(display, key, hash)
        : site.jdk ? site.lockName + "@" + Integer.toHexString(hash) : site.lockName;
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
  static Cycle addEdge(Edge candidate, boolean searchCycles) {
    LOCK.lock();
    try {
      Edge known = candidate.from.findEdge(candidate.to, candidate.fromShared, candidate.toShared);
      if (known != null) {
        return null; // another thread added it first; the caller re-checks it as a known edge
      }
      if (candidate.from.dead || candidate.to.dead) {
        return null;
      }
      // The search never crosses the candidate (it stops at candidate.from), so it can run
      // first: closesCycle is then set before another thread can see the edge, and that thread
      // never takes a cycle's closing edge for a harmless one (ThreadState.knownChain).
      Cycle cycle = searchCycles ? findNewCycle(candidate) : null;
      if (cycle != null) {
        candidate.closesCycle = true;
      }
      candidate.from.addEdge(candidate);
      EDGES.incrementAndGet();
      return cycle;
    } finally {
      LOCK.unlock();
    }
  }

  /** The edge as now stored (the candidate, or the one another thread added first). */
  static Edge stored(Edge candidate) {
    Edge known = candidate.from.findEdge(candidate.to, candidate.fromShared, candidate.toShared);
    return known == null ? candidate : known;
  }

  /**
   * Records that a second thread, {@code threadName}, took a known edge.
   *
   * @return the reported cycles through the edge whose severity rose, possibly empty
   */
  static List<Cycle> secondThread(Edge edge, String threadName) {
    LOCK.lock();
    try {
      if (edge.multiThread) {
        return List.of();
      }
      edge.secondThreadName = threadName;
      edge.multiThread = true;
      return reevaluate(edge);
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Drops from the edge's gate candidates those the thread does not hold now.
   *
   * @param held the locks the thread that takes the edge holds now
   * @param threadName the name of that thread
   * @param heldAt where that thread took the edge's {@code from}
   * @param acquiredAt where it takes the edge's {@code to}
   * @return the reported cycles through the edge whose severity rose, and those it made a bug of
   *     their own ({@link Cycle#fresh}), possibly empty
   */
  static List<Cycle> narrowGates(Edge edge, Lockset held, String threadName,
      StackTraceElement[] heldAt, StackTraceElement[] acquiredAt) {
    LOCK.lock();
    try {
      Node[] gates = edge.gates;
      int kept = 0;
      Node[] narrowed = new Node[gates.length];
      for (Node gate : gates) {
        Object key = gate.get();
        if (key != null && held.holds(key)) {
          narrowed[kept++] = gate;
        }
      }
      if (kept == gates.length) {
        return List.of();
      }
      edge.gates = java.util.Arrays.copyOf(narrowed, kept);
      edge.narrowedBy = threadName;
      edge.narrowedHeldAt = heldAt;
      edge.narrowedAcquiredAt = acquiredAt;
      return reevaluate(edge);
    } finally {
      LOCK.unlock();
    }
  }

  private static boolean contains(Node[] nodes, int length, Node node) {
    for (int i = 0; i < length; i++) {
      if (nodes[i] == node) {
        return true;
      }
    }
    return false;
  }

  private static List<Cycle> reevaluate(Edge edge) {
    List<Cycle> risen = new ArrayList<>();
    if (!SUBSUMED_CYCLES.isEmpty()) {
      reportNoLongerSubsumed(edge, risen);
    }
    for (int i = OPEN_CYCLES.size() - 1; i >= 0; i--) {
      Cycle cycle = OPEN_CYCLES.get(i);
      if (cycle.edges().contains(edge)) {
        Violation.Severity now = severityOf(cycle);
        if (REPORTED_CYCLES.admit(cycle.key, now, cycle.edges())) { // only if it rose
          cycle.severity = now;
          cycle.fresh = false;
          risen.add(cycle);
          if (now == Violation.Severity.ERROR) {
            OPEN_CYCLES.remove(i);
          }
        }
      }
    }
    return risen;
  }

  /**
   * Adds to {@code found} the subsumed cycles through {@code edge} that its narrowed gates made a
   * bug of their own, marked {@link Cycle#fresh}, and records them as reported.
   */
  private static void reportNoLongerSubsumed(Edge edge, List<Cycle> found) {
    for (Iterator<Cycle> it = SUBSUMED_CYCLES.values().iterator(); it.hasNext(); ) {
      Cycle cycle = it.next();
      if (cycle.edges().contains(edge) && !subsumed(cycle.edges())) {
        it.remove();
        if (!REPORTED_CYCLES.contains(cycle.key)) {
          cycle.fresh = true;
          admit(cycle);
          found.add(cycle);
        }
      }
    }
  }

  /**
   * Whether a shorter cycle over the same threads contains this one, so that it is the same bug
   * seen through one more lock: an edge {@code B -> C} of it was taken, every time, while its
   * thread held another lock {@code G} of the cycle (one of the edge's gates). That thread then
   * also took {@code G -> C}, which closes the cycle from {@code G} to {@code C} without the locks
   * between them. Thread 1 holds X, takes Y (its own, uncontended), then Z; thread 2 holds Z, then
   * takes X: {@code Y -> Z -> X -> Y} is {@code X -> Z -> X} with Y as context. Once a thread takes
   * {@code Y -> Z} without X, three threads can deadlock on the longer cycle alone, and it is a
   * bug of its own.
   */
  private static boolean subsumed(List<Edge> chain) {
    for (Edge edge : chain) {
      for (Node gate : edge.gates) {
        if (gate != edge.to && !gate.dead && isFromOf(chain, gate)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isFromOf(List<Edge> chain, Node node) {
    for (Edge edge : chain) {
      if (edge.from == node) {
        return true;
      }
    }
    return false;
  }

  /** INFO when a common gate lock makes the cycle harmless, else ERROR across threads, else WARNING. */
  static Violation.Severity severityOf(Cycle cycle) {
    if (commonGate(cycle) != null) {
      return Violation.Severity.INFO;
    }
    return crossThread(cycle) ? Violation.Severity.ERROR : Violation.Severity.WARNING;
  }

  /**
   * A lock held, outside the cycle, every time each of the cycle's edges was taken: threads must
   * take it first, so they can never hold the cycle's locks against each other. Null if none.
   */
  static Node commonGate(Cycle cycle) {
    List<Edge> edges = cycle.edges();
    for (Node candidate : edges.get(0).gates) {
      if (candidate.dead || inCycle(cycle, candidate)) {
        continue;
      }
      boolean everywhere = true;
      for (int i = 1; i < edges.size() && everywhere; i++) {
        Node[] gates = edges.get(i).gates;
        everywhere = contains(gates, gates.length, candidate);
      }
      if (everywhere) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean inCycle(Cycle cycle, Node node) {
    for (Edge edge : cycle.edges()) {
      if (edge.from == node) {
        return true;
      }
    }
    return false;
  }

  /**
   * The live node whose lock has this identity hash and class (as a thread dump shows it), or
   * null. A scan: only the watchdog calls it (through {@code LockNames.byIdentity}), to name a
   * deadlock's locks.
   */
  static Node nodeByIdentityHash(int hash, String className) {
    LOCK.lock();
    try {
      Node[] found = new Node[1];
      NODES.forEach(node -> {
        Object lock = node.get();
        if (found[0] == null && lock != null && LockKeys.shownAs(lock, hash, className)) {
          found[0] = node;
        }
      });
      return found[0];
    } finally {
      LOCK.unlock();
    }
  }

  /** Edges a report carries at most, so that a huge graph cannot make a huge report. */
  static final int MAX_EXPORTED_EDGES = 2000;
  /** Frames of each stack an exported edge carries: where, and a few callers. */
  static final int MAX_EXPORTED_FRAMES = 12;

  /**
   * The graph's edges between locks whose names mean the same in every JVM (not {@code Type@hash}),
   * for a report to carry ({@link OrderGraph}). Locks that were collected are gone from the graph
   * and so from the export. Slow path: called when a report is written at exit.
   */
  static OrderGraph export() {
    Map<String, OrderGraph.Lock> locks = new LinkedHashMap<>();
    List<OrderGraph.Edge> edges = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean[] truncated = new boolean[1];
    LOCK.lock();
    try {
      NODES.forEach(node -> {
        Object lock = node.get();
        if (lock == null || !stableName(node, lock)) {
          return;
        }
        for (Edge edge : node.edges()) {
          Object to = edge == null ? null : edge.to.get();
          if (to == null || edge.to.dead || !stableName(edge.to, to)) {
            continue;
          }
          if (!seen.add(edge.from.name + '\0' + edge.to.name + edge.fromShared + edge.toShared)) {
            continue;
          }
          if (edges.size() == MAX_EXPORTED_EDGES) {
            truncated[0] = true;
            return;
          }
          locks.computeIfAbsent(node.name, name -> exportedLock(node, lock));
          locks.computeIfAbsent(edge.to.name, name -> exportedLock(edge.to, to));
          edges.add(new OrderGraph.Edge(node.name, edge.to.name, edge.fromShared, edge.toShared,
              edge.threadName, topFrames(edge.heldAt), topFrames(edge.acquiredAt)));
        }
      });
    } finally {
      LOCK.unlock();
    }
    return new OrderGraph(new ArrayList<>(locks.values()), edges, truncated[0]);
  }

  /** Whether a node's name means the same lock in every JVM: not a generated {@code Type@hash}. */
  private static boolean stableName(Node node, Object lock) {
    return !node.anonymous || lock instanceof Class;
  }

  private static OrderGraph.Lock exportedLock(Node node, Object lock) {
    boolean one = lock instanceof Class || LockNames.isStaticField(node.name);
    return new OrderGraph.Lock(node.name, node.type,
        one ? OrderGraph.Stands.ONE : OrderGraph.Stands.MANY);
  }

  private static List<String> topFrames(StackTraceElement[] stack) {
    List<String> frames = new ArrayList<>(Math.min(stack.length, MAX_EXPORTED_FRAMES));
    for (int i = 0; i < stack.length && i < MAX_EXPORTED_FRAMES; i++) {
      frames.add(stack[i].toString());
    }
    return frames;
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

  /**
   * Starts the daemon that drops collected locks from the graph as soon as the GC reports them,
   * so that memory comes back even when the application stops making new locks. Called once by
   * the agent; without it, collected locks are dropped on the next new node.
   */
  static void startCleaner() {
    Thread cleaner = new Thread(LockGraph::clean, "lockguard-graph-cleaner");
    cleaner.setDaemon(true);
    cleaner.start();
  }

  private static void clean() {
    while (true) {
      try {
        java.lang.ref.Reference<?> collected = NODES.queue.remove();
        LOCK.lock();
        try {
          diedSinceSweep += NODES.expunge(collected);
          sweepIfWorthIt();
        } finally {
          LOCK.unlock();
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | Error e) {
        Faults.hookFailed(e);
        return;
      }
    }
  }

  private static void expungeDeadNodes() {
    diedSinceSweep += NODES.expunge();
    sweepIfWorthIt();
  }

  /**
   * Drops edges to collected locks once as many locks died as are alive (at least 1,024): a
   * sweep costs a pass over the graph, so it runs after enough deaths to pay for itself.
   */
  private static void sweepIfWorthIt() {
    if (diedSinceSweep > 1024 && diedSinceSweep > NODES.size()) {
      diedSinceSweep = 0;
      NODES.forEach(Node::purgeDeadEdges);
      REPORTED_CYCLES.removeIf(LockGraph::touchesDeadLock);
      OPEN_CYCLES.removeIf(cycle -> touchesDeadLock(cycle.edges()));
      SUBSUMED_CYCLES.values().removeIf(cycle -> touchesDeadLock(cycle.edges()));
    }
  }

  /**
   * A cycle through a collected lock can never be taken again, so its bookkeeping goes: an
   * application that keeps inverting short-lived locks does not grow these sets for ever.
   */
  private static boolean touchesDeadLock(List<Edge> cycle) {
    for (Edge edge : cycle) {
      if (edge.from.dead) {
        return true;
      }
    }
    return false;
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
    if (REPORTED_CYCLES.contains(key)) {
      return null; // a cycle over these locks went out already: only its rises are news
    }
    Cycle cycle = new Cycle(key, List.copyOf(chain));
    if (subsumed(chain)) {
      if (SUBSUMED_CYCLES.size() < MAX_SUBSUMED) {
        SUBSUMED_CYCLES.putIfAbsent(key, cycle);
      }
      return null; // the shorter cycle inside it is the report
    }
    admit(cycle);
    return cycle;
  }

  /** Records a cycle as reported at the severity it has now. */
  private static void admit(Cycle cycle) {
    cycle.severity = severityOf(cycle);
    REPORTED_CYCLES.admit(cycle.key, cycle.severity, cycle.edges());
    if (cycle.severity != Violation.Severity.ERROR) {
      OPEN_CYCLES.add(cycle);
    }
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
