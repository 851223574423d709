package dev.lockguard.agent.queue;

import dev.lockguard.agent.core.ClassScan;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;

/** Which types are queues: the JDK's by name, an application type by its hierarchy. */
final class QueueTypes {
  /** The JDK's queue types by name; other {@code java.*} types are not queues. */
  private static final Set<String> JDK_QUEUES = Set.of(
      "java/util/Queue",
      "java/util/Deque",
      "java/util/AbstractQueue",
      "java/util/ArrayDeque",
      "java/util/LinkedList",
      "java/util/PriorityQueue",
      "java/util/concurrent/BlockingQueue",
      "java/util/concurrent/BlockingDeque",
      "java/util/concurrent/TransferQueue",
      "java/util/concurrent/ArrayBlockingQueue",
      "java/util/concurrent/LinkedBlockingQueue",
      "java/util/concurrent/LinkedBlockingDeque",
      "java/util/concurrent/LinkedTransferQueue",
      "java/util/concurrent/PriorityBlockingQueue",
      "java/util/concurrent/DelayQueue",
      "java/util/concurrent/SynchronousQueue",
      "java/util/concurrent/ConcurrentLinkedQueue",
      "java/util/concurrent/ConcurrentLinkedDeque");

  /** {@link #JDK_QUEUES} as bytes, for the look before parsing. */
  private static final ClassScan.Names JDK_QUEUE_NAMES = ClassScan.Names.of(JDK_QUEUES);
  private static final byte[] JAVA = {'j', 'a', 'v', 'a', '/'};

  private final Predicate<String> isApplicationQueue;

  /** @param isApplicationQueue whether a non-JDK type (internal name) is a {@code Queue} */
  QueueTypes(Predicate<String> isApplicationQueue) {
    this.isApplicationQueue = isApplicationQueue;
  }

  /** Whether calls on {@code owner} are calls on a queue. */
  boolean isQueueType(String owner) {
    if (JDK_QUEUES.contains(owner)) {
      return true;
    }
    return mayBeApplicationQueue(owner) && isApplicationQueue.test(owner);
  }

  /**
   * Whether the owner of a method reference, {@code length} bytes of a class file from {@code
   * start} (an internal name or an array descriptor), may be a queue without resolving its
   * hierarchy: a JDK queue, or a class outside {@code java/}.
   */
  static boolean mayBeQueue(byte[] classfile, int start, int length) {
    if (length == 0 || classfile[start] == '[') {
      return false;
    }
    boolean java = length >= JAVA.length
        && Arrays.equals(JAVA, 0, JAVA.length, classfile, start, start + JAVA.length);
    return !java || JDK_QUEUE_NAMES.test(classfile, start, length);
  }

  /** Whether {@code owner} is outside the JDK (whose queues are all in {@link #JDK_QUEUES}). */
  private static boolean mayBeApplicationQueue(String owner) {
    return !owner.startsWith("java/") && !owner.startsWith("[");
  }
}
