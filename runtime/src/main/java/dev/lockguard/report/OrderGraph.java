package dev.lockguard.report;

import java.util.List;
import java.util.Objects;

/**
 * A JVM's lock-order graph as a report carries it (JSON field {@code graph}, optional), so that
 * the reports of several JVMs can be merged into one graph and a cycle whose halves ran in
 * different JVMs is found.
 *
 * <p>Only locks whose names mean the same in every JVM are carried: a field, a getter, {@code
 * Owner.this} or a class, never {@code Type@hash}. {@link Lock#stands} says how many objects a name
 * stands for, as Linux lockdep's lock classes do: a static field or a class names one object in
 * every JVM, an instance field names many.
 *
 * @param locks the named locks of the edges
 * @param edges one edge per pair of names and lock modes, the first seen
 * @param truncated whether edges were left out because the graph was larger than a report holds
 */
public record OrderGraph(List<Lock> locks, List<Edge> edges, boolean truncated) {

  /** A report without a graph (written by an older agent, or a per-test report). */
  public static final OrderGraph EMPTY = new OrderGraph(List.of(), List.of(), false);

  public OrderGraph {
    locks = List.copyOf(locks);
    edges = List.copyOf(edges);
  }

  /** How many objects a lock name stands for. */
  public enum Stands {
    /** A static field or a class: the same lock wherever the name is seen. */
    ONE,
    /** An instance field, {@code this}, a getter: one of many locks of that name. */
    MANY
  }

  /** A lock of the graph, by the name the reports give it. */
  public record Lock(String name, String type, Stands stands) {
    public Lock {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(stands, "stands");
    }
  }

  /**
   * {@code thread} acquired {@code to} (at {@code acquiredAt}) while it held {@code from} (taken at
   * {@code heldAt}); {@code fromShared}/{@code toShared} tell a read lock's mode.
   */
  public record Edge(String from, String to, boolean fromShared, boolean toShared, String thread,
      List<String> heldAt, List<String> acquiredAt) {
    public Edge {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(thread, "thread");
      heldAt = List.copyOf(heldAt);
      acquiredAt = List.copyOf(acquiredAt);
    }
  }

  public boolean isEmpty() {
    return edges.isEmpty();
  }
}
