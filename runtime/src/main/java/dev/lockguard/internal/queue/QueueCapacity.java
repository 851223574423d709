package dev.lockguard.internal.queue;

import java.util.Set;
import java.util.concurrent.BlockingQueue;

/**
 * Whether a queue is bounded, and its capacity: what decides if a producer's stale check can make
 * its act block or throw, or only overshoot a limit of the application's.
 *
 * <p>The rule, which keeps lockguard from changing what the application does:
 * <ul>
 *   <li>A JDK {@link BlockingQueue} ({@code java.util.*}, defined by the boot loader) is asked:
 *       its {@code remainingCapacity()} and {@code size()} are short JDK methods that run no
 *       application code and take at most the queue's own lock for a moment, which the act the
 *       thread is about to run takes as well. Room for over {@value #UNBOUNDED_ROOM} more elements
 *       means unbounded ({@code LinkedBlockingQueue()} without a capacity reports
 *       {@code Integer.MAX_VALUE} minus its size; {@code LinkedTransferQueue},
 *       {@code PriorityBlockingQueue}, {@code DelayQueue} report {@code Integer.MAX_VALUE}).
 *   <li>The JDK's non-blocking queues listed in {@link #UNBOUNDED_JDK_QUEUES} are unbounded by
 *       their class.
 *   <li>Anything else, above all an application's class (a subclass of a JDK queue included,
 *       since it may override either method), is never called: its {@code remainingCapacity()}
 *       is the application's code, which may take locks in an order the application never uses,
 *       block, or count calls. Its bound is {@link #UNKNOWN}.
 * </ul>
 * Callers ask once per queue ({@link QueueState#capacity}), on the way to a report, under the
 * thread's re-entry guard (so the queue's own lock calls are not recorded), holding none of
 * lockguard's own locks.
 */
final class QueueCapacity {
  /** Not asked yet. */
  static final int NOT_ASKED = -2;
  /** Not known: the queue's class is not one whose bound lockguard may learn. */
  static final int UNKNOWN = -1;
  /** No bound: an act that adds never blocks, throws or returns false for want of room. */
  static final int UNBOUNDED = Integer.MAX_VALUE;

  /** Free room from which a queue counts as unbounded. */
  static final int UNBOUNDED_ROOM = Integer.MAX_VALUE / 2;

  /** The JDK's queues that are not {@code BlockingQueue}s and have no capacity. */
  static final Set<String> UNBOUNDED_JDK_QUEUES = Set.of(
      "java.util.ArrayDeque", "java.util.LinkedList", "java.util.PriorityQueue",
      "java.util.concurrent.ConcurrentLinkedQueue", "java.util.concurrent.ConcurrentLinkedDeque");

  private static final int ATTEMPTS = 3;

  private QueueCapacity() {}

  /** {@link #UNBOUNDED}, {@link #UNKNOWN}, or the capacity of {@code queue} (0 or more). */
  static int of(Object queue) {
    Class<?> type = queue.getClass();
    if (type.getClassLoader() != null || !type.getName().startsWith("java.util.")) {
      return UNKNOWN;
    }
    if (queue instanceof BlockingQueue<?> blocking) {
      return asked(blocking);
    }
    return UNBOUNDED_JDK_QUEUES.contains(type.getName()) ? UNBOUNDED : UNKNOWN;
  }

  /**
   * A JDK blocking queue's capacity, read as {@code remainingCapacity() + size()} while the size
   * stays put (a few attempts, else unknown rather than wrong).
   */
  private static int asked(BlockingQueue<?> queue) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int before = queue.size();
      int remaining = queue.remainingCapacity();
      if (remaining >= UNBOUNDED_ROOM) {
        return UNBOUNDED;
      }
      if (queue.size() == before) {
        return remaining + before;
      }
    }
    return UNKNOWN;
  }
}
