package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.core.Site;

import java.util.List;

/**
 * A lock-order edge {@code from -> to}: some thread acquired {@code to} while it held
 * {@code from}. Immutable but for the flags that later sightings set.
 */
final class Edge {
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
