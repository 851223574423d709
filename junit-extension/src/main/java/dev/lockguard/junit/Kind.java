package dev.lockguard.junit;

/**
 * The kinds of finding lockguard reports, by the names the JSON report uses.
 *
 * <p>The extension's own copy of the runtime's {@code Violation.Kind}: annotations must compile
 * against {@code lockguard-junit} alone, since the runtime reaches tests only through the agent.
 */
public enum Kind {
  /** A cycle in the lock-order graph: both orders of two or more locks were seen. */
  POTENTIAL_DEADLOCK,
  /** With {@code order=ascending}: a lock taken out of ascending rank. */
  LOCK_ORDER_VIOLATION,
  /** Threads really deadlocked. */
  DEADLOCK,
  /** A queue's size or emptiness checked, then acted on, with no lock making the pair atomic. */
  UNSAFE_QUEUE_CHECK,
  /** An event-style latch re-armed or replaced while it may still be awaited. */
  REUSED_LATCH
}
