package dev.lockguard.internal.lockorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;

/**
 * An identity map from lock object to {@link Node}, holding the locks weakly.
 *
 * <p>{@link #find} is lock-free and allocation-free: it probes a volatile open-addressing array.
 * {@link #insert}, {@link #expunge} and resizing run under the caller's graph lock. Collected
 * locks leave a tombstone that the next resize drops, so an application that creates millions of
 * short-lived locks keeps a table sized by its live locks.
 */
final class NodeTable {
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Node[].class);
  /** Marks a slot whose node was removed; probing continues past it. */
  private static final Node TOMBSTONE = new Node(null, 0, -1, "tombstone", false, "", null);

  final ReferenceQueue<Object> queue = new ReferenceQueue<>();
  private volatile Node[] slots = new Node[64];
  private int live;
  private int tombstones;

  /** The node of {@code lock}, or null. */
  Node find(Object lock, int hash) {
    Node[] table = slots;
    int mask = table.length - 1;
    int index = Node.mix(hash) & mask;
    while (true) {
      Node node = (Node) SLOTS.getAcquire(table, index);
      if (node == null) {
        return null;
      }
      if (node.hash == hash && node.get() == lock) {
        return node;
      }
      index = (index + 1) & mask;
    }
  }

  /** Adds a node the caller has checked is absent; the caller holds the graph lock. */
  void insert(Node node) {
    if ((live + tombstones + 1) * 2 > slots.length) {
      resize();
    }
    Node[] table = slots;
    int mask = table.length - 1;
    int index = Node.mix(node.hash) & mask;
    while (true) {
      Node current = table[index];
      if (current == null) {
        break;
      }
      if (current == TOMBSTONE) {
        tombstones--;
        break;
      }
      index = (index + 1) & mask;
    }
    SLOTS.setRelease(table, index, node);
    live++;
  }

  /**
   * Removes the nodes whose locks were collected; the caller holds the graph lock.
   *
   * @return how many nodes died
   */
  int expunge() {
    return expunge(null);
  }

  /**
   * Like {@link #expunge()}, starting with a reference the caller already took off the queue.
   */
  int expunge(Reference<?> first) {
    int died = first == null ? 0 : bury((Node) first);
    Reference<?> reference;
    while ((reference = queue.poll()) != null) {
      died += bury((Node) reference);
    }
    return died;
  }

  private int bury(Node node) {
    if (node.dead) {
      return 0;
    }
    node.dead = true;
    node.clearEdges();
    remove(node);
    return 1;
  }

  /** Drops every node; the caller holds the graph lock (unit tests only). */
  void clear() {
    slots = new Node[64];
    live = 0;
    tombstones = 0;
  }

  int size() {
    return live;
  }

  /** Calls {@code visitor} for every live node; the caller holds the graph lock. */
  void forEach(java.util.function.Consumer<Node> visitor) {
    for (Node node : slots) {
      if (node != null && node != TOMBSTONE && !node.dead) {
        visitor.accept(node);
      }
    }
  }

  private void remove(Node node) {
    Node[] table = slots;
    int mask = table.length - 1;
    int index = Node.mix(node.hash) & mask;
    while (true) {
      Node current = table[index];
      if (current == null) {
        return;
      }
      if (current == node) {
        SLOTS.setRelease(table, index, TOMBSTONE);
        live--;
        tombstones++;
        return;
      }
      index = (index + 1) & mask;
    }
  }

  private void resize() {
    int capacity = 64;
    while (capacity < (live + 1) * 4) {
      capacity <<= 1;
    }
    Node[] fresh = new Node[capacity];
    int mask = capacity - 1;
    for (Node node : slots) {
      if (node != null && node != TOMBSTONE && !node.dead) {
        int index = Node.mix(node.hash) & mask;
        while (fresh[index] != null) {
          index = (index + 1) & mask;
        }
        fresh[index] = node;
      }
    }
    tombstones = 0;
    slots = fresh;
  }
}
