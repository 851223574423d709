package dev.lockguard.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The weak identity table of queue states. */
class QueueTableTests {
  @Test
  void oneStatePerQueueFoundByIdentity() {
    ArrayDeque<String> queue = new ArrayDeque<>();
    ArrayDeque<String> equalQueue = new ArrayDeque<>();

    QueueState state = QueueTable.stateOf(queue);

    assertThat(QueueTable.stateOf(queue)).isSameAs(state);
    assertThat(QueueTable.find(queue, System.identityHashCode(queue))).isSameAs(state);
    assertThat(QueueTable.find(equalQueue, System.identityHashCode(equalQueue)))
        .as("equal, but another queue").isNull();
    assertThat(state.type).isEqualTo("java.util.ArrayDeque");
  }

  @Test
  void collectedQueuesLeaveTheTable() {
    List<ArrayDeque<String>> kept = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      ArrayDeque<String> queue = new ArrayDeque<>();
      kept.add(queue);
      QueueTable.stateOf(queue);
    }
    for (int i = 0; i < 500_000; i++) {
      QueueTable.stateOf(new ArrayDeque<String>());
      if (i % 50_000 == 0) {
        System.gc(); // as a busy application's collector would, many times over
      }
    }
    System.gc();
    QueueTable.stateOf(new ArrayDeque<String>()); // an insertion drops what was collected

    assertThat(QueueTable.size()).as("live states").isBetween(1_000, 100_000);
    assertThat(QueueTable.capacity()).as("slots").isLessThan(500_000);
    assertThat(kept).allSatisfy(queue ->
        assertThat(QueueTable.find(queue, System.identityHashCode(queue))).isNotNull());
  }
}
