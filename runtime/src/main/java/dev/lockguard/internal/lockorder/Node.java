package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.core.Site;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * One lock in the lock-order graph, holding its lock weakly.
 *
 * <p>The node is its own weak reference (one object per lock instead of two). When the lock is
 * collected the graph drops the node and, lazily, the edges that lead to it.
 *
 * <p>Outgoing edges ({@link Edge}, nested here because a node and its edges refer to each
 * other) live in an open-addressing table keyed by target node and lock modes. Readers probe it
 * without a lock; writers (holding the graph lock) replace the whole array when it grows, so a
 * reader always sees a consistent table.
 */
final class Node extends WeakReference<Object> {
  private static final VarHandle EDGES = MethodHandles.arrayElementVarHandle(Edge[].class);
  private static final Edge[] NO_EDGES = new Edge[0];

  final int id;
  final int hash;
  final String type;
  volatile String name;
  /** True while {@link #name} is the generated {@code Type@hash}, so a field name may replace it. */
  volatile boolean anonymous;
  /** Rank for {@code order=ascending}: explicit, or first-seen order. */
  volatile long rank;
  volatile boolean dead;

  private volatile Edge[] out = NO_EDGES;
  /** Edges in {@link #out}; guarded by the graph lock. */
  private int outCount;

  // Breadth-first search scratch, used only under the graph lock.
  int searchEpoch;
  Edge parentExclusive;
  Edge parentShared;
  boolean parentExclusiveFrom;
  boolean parentSharedFrom;
  int visitedModes;

  Node(Object lock, int hash, int id, String name, boolean anonymous, String type,
      ReferenceQueue<Object> queue) {
    super(lock, queue);
    this.id = id;
    this.hash = hash;
    this.name = name;
    this.anonymous = anonymous;
    this.type = type;
    this.rank = id;
  }

  /** The known edge to {@code to} in these modes, or null. Lock-free and allocation-free. */
  Edge findEdge(Node to, boolean fromShared, boolean toShared) {
    Edge[] table = out;
    int length = table.length;
    if (length == 0) {
      return null;
    }
    int mask = length - 1;
    int index = mix(to.id) & mask;
    while (true) {
      Edge edge = (Edge) EDGES.getAcquire(table, index);
      if (edge == null) {
        return null;
      }
      if (edge.to == to && edge.fromShared == fromShared && edge.toShared == toShared) {
        return edge;
      }
      index = (index + 1) & mask;
    }
  }

  /** Adds an edge; the caller holds the graph lock and has checked it is new. */
  void addEdge(Edge edge) {
    Edge[] table = out;
    if ((outCount + 1) * 2 > table.length) {
      table = rebuild(Math.max(4, Integer.highestOneBit(Math.max(1, liveEdges() + 1)) * 4));
    }
    insert(table, edge);
    outCount++;
    out = table;
  }

  /** Drops edges to collected locks; the caller holds the graph lock. */
  void purgeDeadEdges() {
    if (outCount > 0) {
      out = rebuild(out.length);
    }
  }

  /** Snapshot of the outgoing edges for a search or a report; the caller holds the graph lock. */
  Edge[] edges() {
    return out;
  }

  void clearEdges() {
    out = NO_EDGES;
    outCount = 0;
  }

  private int liveEdges() {
    int live = 0;
    for (Edge edge : out) {
      if (edge != null && !edge.to.dead) {
        live++;
      }
    }
    return live;
  }

  private Edge[] rebuild(int capacity) {
    Edge[] fresh = new Edge[capacity];
    int kept = 0;
    for (Edge edge : out) {
      if (edge != null && !edge.to.dead) {
        insert(fresh, edge);
        kept++;
      }
    }
    outCount = kept;
    return fresh;
  }

  private static void insert(Edge[] table, Edge edge) {
    int mask = table.length - 1;
    int index = mix(edge.to.id) & mask;
    while (table[index] != null) {
      index = (index + 1) & mask;
    }
    EDGES.setRelease(table, index, edge);
  }

  static int mix(int value) {
    int h = value * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /**
   * A lock-order edge {@code from -> to}: some thread acquired {@code to} while it held
   * {@code from}. Immutable but for the flags that later sightings set.
   */
  static final class Edge {
    /** The names of every lock the thread held when it first took this edge, outermost first. */
    final List<String> heldNames;
    final Node from;
    final Node to;
    /** The mode {@code from} was held in: true for a shared (read) lock. */
    final boolean fromShared;
    /** The mode {@code to} was acquired in. */
    final boolean toShared;
    final long threadId;
    final String threadName;
    final StackTraceElement[] heldAt;
    final StackTraceElement[] acquiredAt;
    final Site acquireSite;
    /**
     * Gate-lock candidates: the other locks held every time this edge was taken. Starts as what the
     * first thread held and only shrinks (under the graph lock) when a later sighting lacks one.
     */
    volatile Node[] gates;
    /** Set once a second thread takes the same edge. */
    volatile boolean multiThread;
    /** The name of that second thread, set with {@link #multiThread}, for the report. */
    volatile String secondThreadName;
    /**
     * The last thread that took this edge without one of its gates, and where it held and took the
     * locks then; set with the gates, under the graph lock. A cycle that only this take made a bug
     * of its own is reported with this take.
     */
    volatile String narrowedBy;
    volatile StackTraceElement[] narrowedHeldAt;
    volatile StackTraceElement[] narrowedAcquiredAt;
    /** Set on the edge whose addition closed a reported cycle: under policy=throw it throws. */
    volatile boolean closesCycle;
    /** The message of the violation this edge was reported in, for the exception under throw. */
    volatile String violationMessage;
    /** Set once {@code order=ascending} reported this edge as out of order. */
    volatile boolean orderReported;

    Edge(List<String> heldNames, Node from, Node to, boolean fromShared, boolean toShared, long threadId,
        String threadName, StackTraceElement[] heldAt, StackTraceElement[] acquiredAt,
        Site acquireSite, Node[] gates) {
      this.heldNames = List.copyOf(heldNames);
      this.from = from;
      this.to = to;
      this.fromShared = fromShared;
      this.toShared = toShared;
      this.threadId = threadId;
      this.threadName = threadName;
      this.heldAt = heldAt;
      this.acquiredAt = acquiredAt;
      this.acquireSite = acquireSite;
      this.gates = gates;
    }
  }
}
