package dev.lockguard.internal.lockorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * One lock in the lock-order graph, holding its lock weakly.
 *
 * <p>The node is its own weak reference (one object per lock instead of two). When the lock is
 * collected the graph drops the node and, lazily, the edges that lead to it.
 *
 * <p>Outgoing edges live in an open-addressing table keyed by target node and lock modes. Readers
 * probe it without a lock; writers (holding the graph lock) replace the whole array when it grows,
 * so a reader always sees a consistent table.
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

  int edgeCount() {
    return outCount;
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
}
