package dev.lockguard.internal.queue;

import static dev.lockguard.internal.queue.Consequence.BLOCKS_WHEN_EMPTY;
import static dev.lockguard.internal.queue.Consequence.BLOCKS_WHEN_FULL;
import static dev.lockguard.internal.queue.Consequence.FALSE_WHEN_FULL;
import static dev.lockguard.internal.queue.Consequence.GROWS_PAST_LIMIT;
import static dev.lockguard.internal.queue.Consequence.NULL_WHEN_EMPTY;
import static dev.lockguard.internal.queue.Consequence.SHRINKS_PAST_LIMIT;
import static dev.lockguard.internal.queue.Consequence.THROWS_WHEN_EMPTY;
import static dev.lockguard.internal.queue.Consequence.THROWS_WHEN_FULL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation.Severity;
import org.junit.jupiter.api.Test;

/**
 * What a stale check can do, by act, check, what the check returned and the queue's capacity:
 * {@code ERROR} only where the act blocks or throws.
 */
class ConsequenceTests {
  private static final int UNBOUNDED = QueueCapacity.UNBOUNDED;
  private static final int UNKNOWN = QueueCapacity.UNKNOWN;
  private static final int EMPTY = 1;
  private static final int NOT_EMPTY = 0;

  @Test
  void aSoftLimitOnAnUnboundedQueueIsOvershotAndNothingFails() {
    assertThat(Consequence.of(QueueOp.ADD_FIRST, QueueOp.SIZE, 7, UNBOUNDED))
        .isEqualTo(GROWS_PAST_LIMIT);
    assertThat(Consequence.of(QueueOp.PUT, QueueOp.SIZE, 0, UNBOUNDED))
        .as("put on an unbounded queue never waits").isEqualTo(GROWS_PAST_LIMIT);
    assertThat(Consequence.of(QueueOp.OFFER, QueueOp.IS_EMPTY, EMPTY, UNBOUNDED))
        .isEqualTo(GROWS_PAST_LIMIT);
    assertThat(GROWS_PAST_LIMIT.severity).isEqualTo(Severity.WARNING);
  }

  @Test
  void aBoundedQueueWhoseCheckReachesTheCapacityFailsTheAct() {
    assertThat(Consequence.of(QueueOp.ADD_FIRST, QueueOp.SIZE, 1, 2)).isEqualTo(THROWS_WHEN_FULL);
    assertThat(Consequence.of(QueueOp.ADD, QueueOp.SIZE, 1, 2)).isEqualTo(THROWS_WHEN_FULL);
    assertThat(Consequence.of(QueueOp.PUSH, QueueOp.SIZE, 1, 2)).isEqualTo(THROWS_WHEN_FULL);
    assertThat(Consequence.of(QueueOp.PUT, QueueOp.SIZE, 3, 4)).isEqualTo(BLOCKS_WHEN_FULL);
    assertThat(Consequence.of(QueueOp.OFFER, QueueOp.SIZE, 3, 4)).isEqualTo(FALSE_WHEN_FULL);
    assertThat(Consequence.of(QueueOp.PUT, QueueOp.REMAINING_CAPACITY, 40, 100))
        .as("a check of the free room is a check against the capacity")
        .isEqualTo(BLOCKS_WHEN_FULL);
    assertThat(Consequence.of(QueueOp.ADD, QueueOp.IS_EMPTY, EMPTY, 1))
        .isEqualTo(THROWS_WHEN_FULL);
    assertThat(THROWS_WHEN_FULL.severity).isEqualTo(Severity.ERROR);
    assertThat(BLOCKS_WHEN_FULL.severity).isEqualTo(Severity.ERROR);
    assertThat(FALSE_WHEN_FULL.severity).isEqualTo(Severity.WARNING);
  }

  @Test
  void aBoundedQueueWithALimitBelowItsCapacityOnlyGrowsPastTheLimit() {
    assertThat(Consequence.of(QueueOp.ADD_FIRST, QueueOp.SIZE, 3, 100))
        .isEqualTo(GROWS_PAST_LIMIT);
    assertThat(Consequence.of(QueueOp.PUT, QueueOp.IS_EMPTY, EMPTY, 8))
        .isEqualTo(GROWS_PAST_LIMIT);
  }

  @Test
  void aQueueOfUnknownBoundOnlyGrowsPastTheLimit() {
    assertThat(Consequence.of(QueueOp.ADD_FIRST, QueueOp.SIZE, 1, UNKNOWN))
        .isEqualTo(GROWS_PAST_LIMIT);
    assertThat(Consequence.of(QueueOp.PUT, QueueOp.REMAINING_CAPACITY, 1, UNKNOWN))
        .isEqualTo(GROWS_PAST_LIMIT);
  }

  @Test
  void aFreeRoomCheckOnAnUnboundedQueueAlwaysPassesAndKeepsNoLimit() {
    assertThat(Consequence.of(QueueOp.OFFER, QueueOp.REMAINING_CAPACITY, UNBOUNDED, UNBOUNDED))
        .isNull();
  }

  @Test
  void consumersFailWhereTheCheckIsAboutEmptiness() {
    assertThat(Consequence.of(QueueOp.TAKE, QueueOp.IS_EMPTY, NOT_EMPTY, UNKNOWN))
        .isEqualTo(BLOCKS_WHEN_EMPTY);
    assertThat(Consequence.of(QueueOp.REMOVE, QueueOp.PEEK, NOT_EMPTY, UNKNOWN))
        .isEqualTo(THROWS_WHEN_EMPTY);
    assertThat(Consequence.of(QueueOp.ELEMENT, QueueOp.SIZE, 1, UNKNOWN))
        .isEqualTo(THROWS_WHEN_EMPTY);
    assertThat(Consequence.of(QueueOp.POLL, QueueOp.SIZE, 0, UNKNOWN))
        .isEqualTo(NULL_WHEN_EMPTY);
    assertThat(BLOCKS_WHEN_EMPTY.severity).isEqualTo(Severity.ERROR);
    assertThat(THROWS_WHEN_EMPTY.severity).isEqualTo(Severity.ERROR);
    assertThat(NULL_WHEN_EMPTY.severity).isEqualTo(Severity.WARNING);
  }

  @Test
  void consumersOfASizeAboveALimitOnlyShrinkPastIt() {
    assertThat(Consequence.of(QueueOp.POLL_FIRST, QueueOp.SIZE, 9, UNKNOWN))
        .isEqualTo(SHRINKS_PAST_LIMIT);
    assertThat(Consequence.of(QueueOp.TAKE, QueueOp.SIZE, 2, UNKNOWN))
        .isEqualTo(SHRINKS_PAST_LIMIT);
    assertThat(Consequence.of(QueueOp.TAKE, QueueOp.REMAINING_CAPACITY, 9, 10))
        .as("one element left at the check").isEqualTo(BLOCKS_WHEN_EMPTY);
    assertThat(SHRINKS_PAST_LIMIT.severity).isEqualTo(Severity.WARNING);
  }
}
