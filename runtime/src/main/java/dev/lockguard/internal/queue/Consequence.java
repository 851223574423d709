package dev.lockguard.internal.queue;

import dev.lockguard.report.Violation.Severity;

/**
 * What can go wrong, on the queue a pair ran on, when its check goes stale: this decides the
 * finding's severity and words. {@code ERROR} only where the act blocks or throws; {@code WARNING}
 * where it returns null or false, or where only a limit of the application's own is missed.
 *
 * <p>Whether the act itself can fail depends on how far the check's limit is from what makes the
 * act fail, and lockguard does not see the limit, only what the check returned ({@code seen}):
 * <ul>
 *   <li>A consumer's act fails on an empty queue. {@code isEmpty()} and {@code peek()} are
 *       emptiness checks; a {@code size()} that was 1 or 0 at the check shows the check lets the
 *       act run with one element left, so one other consumer is enough. A larger size shows a limit
 *       above one: other consumers make the queue shrink below it, and fail the act only if there
 *       are as many of them as elements.
 *   <li>A producer's act fails on a full queue, so only on a bounded one ({@link QueueCapacity}).
 *       {@code remainingCapacity()} is a check against the capacity; a {@code size()} (or
 *       emptiness) of {@code capacity - 1} or more at the check shows the limit reaches the
 *       capacity. Otherwise, and on an unbounded queue or one whose bound is unknown, the queue
 *       only grows past the check's limit.
 * </ul>
 * A pair is judged at each run, so a limit seen to reach the capacity later raises the finding.
 */
enum Consequence {
  /** {@code take()} on an emptied queue waits for the next element, for ever if none comes. */
  BLOCKS_WHEN_EMPTY(Severity.ERROR),
  /** {@code remove()}, {@code element()} and the like throw {@code NoSuchElementException}. */
  THROWS_WHEN_EMPTY(Severity.ERROR),
  /** {@code poll()} returns null. */
  NULL_WHEN_EMPTY(Severity.WARNING),
  /** Other consumers take the queue below the limit the check was to keep. */
  SHRINKS_PAST_LIMIT(Severity.WARNING),
  /** {@code put(e)} on a filled queue waits for room, for ever if none is made. */
  BLOCKS_WHEN_FULL(Severity.ERROR),
  /** {@code add(e)}, {@code addFirst(e)}, {@code push(e)} throw {@code IllegalStateException}. */
  THROWS_WHEN_FULL(Severity.ERROR),
  /** {@code offer(e)} returns false: the element is not queued. */
  FALSE_WHEN_FULL(Severity.WARNING),
  /** Other producers take the queue past the limit the check was to keep. */
  GROWS_PAST_LIMIT(Severity.WARNING);

  final Severity severity;

  Consequence(Severity severity) {
    this.severity = severity;
  }

  /** The most a pair can reach: an {@code ERROR} whose race was observed. */
  static final int HIGHEST_LEVEL = QueueSites.ERROR * 2;

  /**
   * The level a report raises a pair to: by severity first, and within one severity an observed
   * race above a possible one, so that the report is published again to keep the stronger words
   * (the reporter prints it again only when its severity rises).
   */
  int level(boolean raced) {
    return level() * 2 - (raced ? 0 : 1);
  }

  /** The level a pair is raised to ({@link QueueSites.Entry#raise}): ERROR above WARNING. */
  int level() {
    return severity == Severity.ERROR ? QueueSites.ERROR : QueueSites.WARNING;
  }

  boolean consumes() {
    return ordinal() <= SHRINKS_PAST_LIMIT.ordinal();
  }

  /** Whether the act itself fails only past a limit of the application's. */
  boolean softLimit() {
    return this == SHRINKS_PAST_LIMIT || this == GROWS_PAST_LIMIT;
  }

  /**
   * What follows when {@code check}, which returned {@code seen} (its count, or 1 for an empty
   * queue and 0 otherwise), goes stale before {@code act} on a queue of {@code capacity}
   * ({@link QueueCapacity}); null when nothing can: a {@code remainingCapacity()} check on an
   * unbounded queue always passes, so no limit is kept and none is missed.
   */
  static Consequence of(QueueOp act, QueueOp check, int seen, int capacity) {
    if (act.kind == QueueOp.Kind.CONSUME) {
      if (!reachesEmpty(check, seen, capacity)) {
        return SHRINKS_PAST_LIMIT;
      }
      if (act.blocks()) {
        return BLOCKS_WHEN_EMPTY;
      }
      return act.nullMeansNothing() ? NULL_WHEN_EMPTY : THROWS_WHEN_EMPTY;
    }
    if (capacity == QueueCapacity.UNBOUNDED && check == QueueOp.REMAINING_CAPACITY) {
      return null;
    }
    if (!reachesFull(check, seen, capacity)) {
      return GROWS_PAST_LIMIT;
    }
    if (act.blocks()) {
      return BLOCKS_WHEN_FULL;
    }
    return act.shape == QueueOp.Shape.BOOLEAN && act != QueueOp.ADD
        ? FALSE_WHEN_FULL : THROWS_WHEN_FULL;
  }

  /** Whether the check lets a consumer's act run with at most one element left. */
  private static boolean reachesEmpty(QueueOp check, int seen, int capacity) {
    return switch (check) {
      case SIZE -> seen <= 1;
      case REMAINING_CAPACITY -> bounded(capacity) && capacity - seen <= 1;
      default -> true; // isEmpty(), peek*(): emptiness itself
    };
  }

  /** Whether the check lets a producer's act run with at most one free slot, on a bounded queue. */
  private static boolean reachesFull(QueueOp check, int seen, int capacity) {
    if (!bounded(capacity)) {
      return false;
    }
    return switch (check) {
      case REMAINING_CAPACITY -> true;
      case SIZE -> seen >= capacity - 1;
      default -> (seen == 1 ? 0 : 1) >= capacity - 1; // an empty queue held 0, another 1 or more
    };
  }

  static boolean bounded(int capacity) {
    return capacity >= 0 && capacity != QueueCapacity.UNBOUNDED;
  }

  /** The size the check saw, or -1 when it does not tell ({@code isEmpty()} false, say). */
  static int sizeSeen(QueueOp check, int seen, int capacity) {
    return switch (check) {
      case SIZE -> seen;
      case REMAINING_CAPACITY -> bounded(capacity) ? capacity - seen : -1;
      default -> seen == 1 ? 0 : -1;
    };
  }
}
