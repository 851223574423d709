package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.lockorder.Node.Edge;
import dev.lockguard.internal.core.Faults;
import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Statistics;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Reporter;
import dev.lockguard.internal.core.LockNames;
import dev.lockguard.internal.core.PerThread;
import dev.lockguard.internal.core.Site;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.internal.core.Stacks;

import dev.lockguard.report.Violation;
import java.util.List;

/**
 * The lock-order detector: updates a thread's held locks and the graph on each acquisition, and
 * decides what to report ({@link OrderReports} words it) and when to throw.
 *
 * <p>Callers ({@link Hooks}) have set the thread's re-entry guard, except around
 * {@link #knownAcquisition}. The fast path (re-entry, or only known edges) allocates nothing: a
 * scan of the held locks and one lock-free probe per held lock, or, when the thread repeats the
 * chain of locks it last validated, no probe and no guard at all ({@link ThreadState#knownChain}).
 * A new edge captures one stack and takes the graph lock.
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
    LockNames.nameByIdentity(new HeldLocks());
    Reporter.graphFrom(LockGraph::export);
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
    return index < 0 ? 0 : ts.count(index);
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
    ts.pendingKey = key;
    ts.pendingNode = null;
    boolean ascending = LockOrderDetector.ascending;
    if (ts.depth == 0 && !ascending) {
      // no edge: the node is made only if a lock is later taken under this one
      ts.pendingHash = System.identityHashCode(key); // before the thread locks it
      return;
    }
    int generation = LockGraph.generation;
    Site site = Sites.get(siteId);
    // Steering (armed only while confirming a finding) must see every blocking acquisition.
    if (blocking && !ascending && !Steering.active && ts.knownChain(key, shared, generation)) {
      Node known = ts.chainNodes[ts.depth];
      if (!known.anonymous || site.lockName == null || site.jdk) {
        ts.pendingNode = known; // the validated chain: no probe, no graph lookup
        ts.pendingHash = known.hash;
        return;
      } // else LockGraph.node names the lock after this site's field
    }
    int hash = System.identityHashCode(key); // before the thread locks it: see LockGraph.node
    ts.pendingHash = hash;
    Node node = LockGraph.node(key, hash, lock, site);
    ts.pendingNode = node;
    if (!blocking) {
      return;
    }
    if (Steering.active && ts.depth > 0) {
      Steering.arrive(ts, key, node, siteId, heldNodes(ts)); // armed only while confirming
    }
    StackTraceElement[] stack = null;
    boolean clean = !ascending;
    for (int i = 0; i < ts.depth; i++) {
      Node held = heldNode(ts, i);
      Edge edge = held.findEdge(node, ts.isShared(i), shared);
      if (edge == null) {
        if (stack == null) {
          stack = Stacks.current(Stacks.Trim.HOOK);
        }
        Edge candidate = newEdge(ts, i, node, shared, site, stack);
        LockGraph.Cycle cycle = LockGraph.addEdge(candidate, !ascending);
        edge = LockGraph.stored(candidate);
        if (cycle != null) {
          Violation violation = OrderReports.cycle(cycle);
          candidate.violationMessage = violation.message();
          Findings.report(violation);
        }
      }
      checkKnownEdge(ts, i, node, edge, ascending, site);
      clean &= !edge.closesCycle && (edge.threadId == ts.threadId || edge.multiThread);
    }
    if (clean) {
      ts.recordChain(node, shared, generation);
    }
  }

  /**
   * The node of {@code key} if taking it now repeats the thread's validated chain, so that the
   * whole check would change nothing (see {@link #beforeAcquire}); else null, and the caller takes
   * the guarded path. Called outside the guard: it only reads the thread's own arrays and the
   * nodes' weak references, calls nothing that could take a lock or come back into a hook, and
   * cannot fail. The caller has ruled out a re-entry ({@link ThreadState#reenterHeld}). Null
   * when the push would have to grow the arrays.
   */
  static Node knownAcquisition(ThreadState ts, Object key, int siteId, boolean shared) {
    if (ts.depth == ts.keys.length || ascending || Steering.active
        || !ts.knownChain(key, shared, LockGraph.generation)) {
      return null;
    }
    Node known = ts.chainNodes[ts.depth];
    if (known.anonymous) {
      Site site = Sites.get(siteId);
      if (site.lockName != null && !site.jdk) {
        return null; // LockGraph.node names the lock after this site's field
      }
    }
    return known;
  }

  /** The per-edge checks of every acquisition: second thread, gates, rank, throw policy. */
  private static void checkKnownEdge(
      ThreadState ts, int heldIndex, Node node, Edge edge, boolean ascending, Site site) {
    if (edge.threadId != ts.threadId && !edge.multiThread) {
      reportRisen(LockGraph.secondThread(edge, ts.thread.getName()));
    }
    Node[] gates = edge.gates;
    if (gates.length > 0 && !allHeld(ts, gates)) {
      // At most once per gate of the edge: a narrowed edge's gates are all held from then on.
      StackTraceElement[] stack = Stacks.current(Stacks.Trim.HOOK);
      StackTraceElement[] heldAt =
          Stacks.heldAt(Sites.get(ts.site(heldIndex)), stack);
      reportRisen(LockGraph.narrowGates(edge, ts, ts.thread.getName(), heldAt, stack));
    }
    if (ascending) {
      Node held = ts.nodes[heldIndex];
      if (held.rank >= node.rank && !insideTheJdk(ts.site(heldIndex), site)) {
        if (!edge.orderReported) {
          edge.orderReported = true;
          Violation violation = OrderReports.order(
              ts, heldNodes(ts), heldIndex, node, Stacks.current(Stacks.Trim.HOOK));
          edge.violationMessage = violation.message();
          Findings.report(violation);
        }
        throwIfPolicy(edge);
      }
    } else if (edge.closesCycle) {
      throwIfPolicy(edge);
    }
  }

  /**
   * Whether both locks were taken by a curated JDK class (a {@code LinkedBlockingQueue} takes its
   * put lock, then its take lock): the JDK nests its own locks in an order of its own, which
   * ranks by first sight know nothing of, so ascending order does not judge it. The lock-order
   * graph still does in graph mode.
   */
  private static boolean insideTheJdk(int heldSite, Site site) {
    return site != null && site.jdk && Sites.get(heldSite).jdk;
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

  /**
   * Reports the cycles whose severity rose, and the ones reported for the first time because a
   * shorter cycle no longer contains them ({@code LockGraph.Cycle#fresh}).
   */
  private static void reportRisen(List<LockGraph.Cycle> cycles) {
    for (LockGraph.Cycle cycle : cycles) {
      Findings.report(cycle.fresh ? OrderReports.cycle(cycle) : OrderReports.risen(cycle));
    }
  }

  /** The graph node of held lock {@code i}, made on first need (most locks are never nested). */
  static Node heldNode(ThreadState ts, int i) {
    Node node = ts.nodes[i];
    if (node == null) {
      Object key = ts.keys[i];
      node = LockGraph.node(key, ts.hash(i), key, Sites.get(ts.site(i)));
      ts.nodes[i] = node;
    }
    return node;
  }

  /** The graph nodes of every lock the thread holds, outermost first (slow path only). */
  static Node[] heldNodes(ThreadState ts) {
    Node[] held = new Node[ts.depth];
    for (int i = 0; i < held.length; i++) {
      held[i] = heldNode(ts, i);
    }
    return held;
  }

  /** Pushes {@code key} on the thread's held locks, or counts a re-entry. */
  static void afterAcquire(ThreadState ts, Object key, Object lock, int siteId, boolean shared) {
    Faults.injectFailure(); // test-only: a no-op unless -Dlockguard.test.failHooks is set
    ts.counter.acquisitions++;
    int index = ts.indexOf(key);
    if (index >= 0) {
      ts.reenter(index);
      return;
    }
    push(ts, key, siteId, shared);
  }

  /**
   * {@link #beforeAcquire} and {@link #afterAcquire} of one acquisition that nothing can come
   * between (a monitor): the held locks are scanned for a re-entry once, not twice.
   */
  static void acquire(ThreadState ts, Object key, Object lock, int siteId, boolean shared,
      boolean blocking) {
    beforeAcquire(ts, key, lock, siteId, shared, blocking);
    Faults.injectFailure(); // test-only, as in afterAcquire
    ts.counter.acquisitions++;
    if (ts.pendingKey != key) { // beforeAcquire found a re-entry
      ts.reenter(ts.indexOf(key));
      return;
    }
    push(ts, key, siteId, shared);
  }

  private static void push(ThreadState ts, Object key, int siteId, boolean shared) {
    boolean pending = ts.pendingKey == key;
    Node node = pending ? ts.pendingNode : null; // else made lazily by heldNode
    int hash = pending ? ts.pendingHash : System.identityHashCode(key);
    ts.pendingKey = null;
    ts.pendingNode = null;
    ts.push(key, hash, node, siteId, shared, 1);
  }

  private static Edge newEdge(
      ThreadState ts, int heldIndex, Node to, boolean shared, Site site,
      StackTraceElement[] stack) {
    Node[] held = heldNodes(ts);
    Site heldSite = Sites.get(ts.site(heldIndex));
    Node[] alsoHeld = new Node[held.length - 1];
    for (int i = 0, j = 0; i < held.length; i++) {
      if (i != heldIndex) {
        alsoHeld[j++] = held[i];
      }
    }
    return new Edge(OrderReports.names(held), held[heldIndex], to, ts.isShared(heldIndex), shared,
        ts.threadId, ts.thread.getName(), Stacks.heldAt(heldSite, stack), stack, site,
        alsoHeld);
  }
}
