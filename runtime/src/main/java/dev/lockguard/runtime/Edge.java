package dev.lockguard.runtime;

/**
 * A lock-order edge {@code from -> to}: some thread acquired {@code to} while it held
 * {@code from}. Immutable but for the flags that later sightings set.
 */
final class Edge {
  final long serial;
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
  /** The other locks the thread held when it first took this edge (gate-lock candidates). */
  final Node[] alsoHeld;
  /** Set once a second thread takes the same edge. */
  volatile boolean multiThread;

  Edge(long serial, Node from, Node to, boolean fromShared, boolean toShared, long threadId,
      String threadName, StackTraceElement[] heldAt, StackTraceElement[] acquiredAt,
      Site acquireSite, Node[] alsoHeld) {
    this.serial = serial;
    this.from = from;
    this.to = to;
    this.fromShared = fromShared;
    this.toShared = toShared;
    this.threadId = threadId;
    this.threadName = threadName;
    this.heldAt = heldAt;
    this.acquiredAt = acquiredAt;
    this.acquireSite = acquireSite;
    this.alsoHeld = alsoHeld;
  }
}
