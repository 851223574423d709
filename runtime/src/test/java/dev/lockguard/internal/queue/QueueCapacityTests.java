package dev.lockguard.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which queues' bounds lockguard learns, how, and which queues it never calls. */
class QueueCapacityTests {
  @Test
  void jdkBlockingQueuesAreAskedAndTheirElementsDoNotCountAsRoom() {
    ArrayBlockingQueue<String> array = new ArrayBlockingQueue<>(3);
    array.add("a");
    LinkedBlockingDeque<String> deque = new LinkedBlockingDeque<>(5);
    deque.add("a");
    deque.add("b");

    assertThat(QueueCapacity.of(array)).isEqualTo(3);
    assertThat(QueueCapacity.of(deque)).isEqualTo(5);
    assertThat(QueueCapacity.of(new LinkedBlockingQueue<String>(7))).isEqualTo(7);
    assertThat(QueueCapacity.of(new SynchronousQueue<String>())).as("no room at all").isZero();
  }

  @Test
  void jdkBlockingQueuesWithoutACapacityAreUnbounded() {
    LinkedBlockingDeque<String> deque = new LinkedBlockingDeque<>();
    deque.add("a");

    assertThat(QueueCapacity.of(deque)).as("Integer.MAX_VALUE minus its size")
        .isEqualTo(QueueCapacity.UNBOUNDED);
    assertThat(QueueCapacity.of(new LinkedBlockingQueue<String>()))
        .isEqualTo(QueueCapacity.UNBOUNDED);
    assertThat(QueueCapacity.of(new LinkedTransferQueue<String>()))
        .isEqualTo(QueueCapacity.UNBOUNDED);
    assertThat(QueueCapacity.of(new PriorityBlockingQueue<String>()))
        .isEqualTo(QueueCapacity.UNBOUNDED);
  }

  @Test
  void jdkNonBlockingQueuesAreUnboundedByClass() {
    assertThat(QueueCapacity.of(new ArrayDeque<String>())).isEqualTo(QueueCapacity.UNBOUNDED);
    assertThat(QueueCapacity.of(new LinkedList<String>())).isEqualTo(QueueCapacity.UNBOUNDED);
    assertThat(QueueCapacity.of(new ConcurrentLinkedDeque<String>()))
        .isEqualTo(QueueCapacity.UNBOUNDED);
    assertThat(QueueCapacity.of(Collections.asLifoQueue(new LinkedBlockingDeque<String>(1))))
        .as("a JDK view of a queue it does not know").isEqualTo(QueueCapacity.UNKNOWN);
  }

  @Test
  void applicationQueuesAreNeverCalled() {
    CountingQueue counting = new CountingQueue();

    assertThat(QueueCapacity.of(counting)).isEqualTo(QueueCapacity.UNKNOWN);
    assertThat(counting.calls).as("calls into the application's queue").hasValue(0);
  }

  /** An application's subclass of a JDK queue, which may override what lockguard would ask. */
  private static final class CountingQueue extends ArrayBlockingQueue<String> {
    private static final long serialVersionUID = 1L;
    final AtomicInteger calls = new AtomicInteger();

    CountingQueue() {
      super(2);
    }

    @Override
    public int remainingCapacity() {
      calls.incrementAndGet();
      return super.remainingCapacity();
    }

    @Override
    public int size() {
      calls.incrementAndGet();
      return super.size();
    }
  }
}
