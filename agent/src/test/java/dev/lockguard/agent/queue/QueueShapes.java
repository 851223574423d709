package dev.lockguard.agent.queue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Code shapes for {@link QueuePairFinderTests}: the finder reads this class's bytecode. */
@SuppressWarnings({"unused", "InfiniteLoopStatement"}) // analysed, never run
class QueueShapes {
  final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  static final BlockingQueue<String> SHARED = new ArrayBlockingQueue<>(4);
  final int capacity = 4;

  // ---- pairs ----------------------------------------------------------------------------------

  String takeWhenNotEmpty() throws InterruptedException {
    if (!queue.isEmpty()) {
      return queue.take();
    }
    return null;
  }

  void putWhenRoom(String item) throws InterruptedException {
    if (SHARED.size() < capacity) {
      SHARED.put(item);
    }
  }

  String removeAfterPeek(Deque<String> parameter) {
    if (parameter.peek() != null) {
      return parameter.remove();
    }
    return null;
  }

  String localVariable() {
    Queue<String> local = new ArrayDeque<>();
    local.add("x");
    if (local.size() > 0) {
      return local.poll();
    }
    return null;
  }

  String fieldThroughLocal() throws InterruptedException {
    BlockingQueue<String> local = queue;
    if (local.isEmpty()) {
      return null;
    }
    return local.take();
  }

  boolean materialisedBoolean(String item) {
    boolean full = queue.remainingCapacity() == 0;
    if (full) {
      return false;
    }
    return queue.offer(item);
  }

  void drainLoop() {
    while (!queue.isEmpty()) {
      queue.poll();
    }
  }

  void endlessConsumer() throws InterruptedException {
    while (true) {
      if (!queue.isEmpty()) {
        queue.take();
      }
    }
  }

  void throwWhenFull(String item) {
    if (queue.size() >= capacity) {
      throw new IllegalStateException("full");
    }
    queue.add(item);
  }

  void applicationQueue(Mailbox mailbox) throws InterruptedException {
    if (mailbox.remainingCapacity() > 0) {
      mailbox.put("x");
    }
  }

  /** An application queue type: resolved through the type pool. */
  static final class Mailbox extends LinkedBlockingQueue<String> {
    @Override
    public boolean offer(String item) {
      if (size() >= 2) {
        return false;
      }
      return super.offer(item);
    }
  }

  // ---- no pairs -------------------------------------------------------------------------------

  void sizeForLoggingOnly() throws InterruptedException {
    int backlog = queue.size();
    if (backlog > 100) {
      System.out.println("backlog " + backlog);
    }
    queue.take();
  }

  void metricsInEndlessLoop() throws InterruptedException {
    while (true) {
      String item = queue.take();
      if (queue.size() > 100) {
        System.out.println("backlog");
      }
      System.out.println(item);
    }
  }

  void timedPollLoop(AtomicBoolean running) throws InterruptedException {
    while (running.get() || !queue.isEmpty()) {
      String item = queue.poll(10, TimeUnit.MILLISECONDS);
      if (item != null) {
        System.out.println(item);
      }
    }
  }

  void differentQueues(BlockingQueue<String> other) {
    if (!queue.isEmpty()) {
      other.poll();
    }
  }

  void notAQueue(List<String> list) {
    if (!list.isEmpty()) {
      list.remove(0);
    }
  }

  void removeGivenElement() {
    if (!queue.isEmpty()) {
      queue.remove("x");
    }
  }

  void sentinelConsumer() throws InterruptedException {
    while (true) {
      String item = queue.take();
      if (item.isEmpty()) {
        queue.put(item);
        return;
      }
      System.out.println(item);
    }
  }
}
