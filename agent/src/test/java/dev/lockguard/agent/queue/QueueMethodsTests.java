package dev.lockguard.agent.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.ClassScan;
import dev.lockguard.agent.core.Rewritten;
import dev.lockguard.internal.queue.QueueSites;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

/**
 * The queue check reads only the methods that call a queue operation on a possible queue: the
 * others are copied byte for byte, and every queue call is still counted for the statistics.
 */
class QueueMethodsTests {
  /** One pair, one lone check, and methods with no queue call at all. */
  static final class Mixed {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    String takeWhenNotEmpty() throws InterruptedException {
      return queue.isEmpty() ? null : queue.take(); // a pair: isEmpty decides take
    }

    int sizeOnly() {
      return queue.size(); // a queue call, no pair
    }

    boolean notAQueue(List<String> list) {
      return !list.isEmpty() && list.remove("a"); // List is no queue type: no queue call
    }

    static int sum(int[] values) { // a loop and a handler: the frames must be copied too
      int sum = 0;
      for (int value : values) {
        try {
          sum = Math.addExact(sum, value);
        } catch (ArithmeticException overflow) {
          return Integer.MAX_VALUE;
        }
      }
      return sum;
    }
  }

  @Test
  void onlyMethodsWithAQueueCallAreReadAndTheOthersAreCopiedByteForByte() throws Exception {
    byte[] original = Rewritten.classFile(Mixed.class);
    assertThat(ClassScan.methodsCalling(new ClassReader(original),
        QueueConstantPool.queueCalls(new ClassReader(original)), false).keySet())
        .containsExactlyInAnyOrder("takeWhenNotEmpty()Ljava/lang/String;", "sizeOnly()I");

    long callsBefore = QueueSites.callsSeen();
    Rewritten rewritten = Rewritten.by(Mixed.class, QueueCheckClassVisitor.REWRITER).verified();

    assertThat(QueueSites.callsSeen() - callsBefore).as("isEmpty, take and size").isEqualTo(3);
    Map<String, byte[]> before = Rewritten.methodInfos(original);
    Map<String, byte[]> after = Rewritten.methodInfos(rewritten.bytes());
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String method : List.of("<init>()V", "notAQueue(Ljava/util/List;)Z", "sum([I)I")) {
      assertThat(after.get(method)).as("%s copied byte for byte", method)
          .isEqualTo(before.get(method));
    }
    assertThat(rewritten.trace("takeWhenNotEmpty")).contains("BlockingQueue.isEmpty",
        "QueueHooks.afterIsEmpty(ZLjava/lang/Object;I)V @ QueueMethodsTests$Mixed.queue",
        "QueueHooks.act(Ljava/lang/Object;I)V @ QueueMethodsTests$Mixed.queue",
        "BlockingQueue.take");
    assertThat(rewritten.trace("sizeOnly")).as("a lone check is no site")
        .containsExactly("BlockingQueue.size", "return");
    Object instance = rewritten.newInstance();
    assertThat(rewritten.call(instance, "takeWhenNotEmpty")).isNull();
    assertThat(rewritten.call(instance, "notAQueue", new ArrayList<>(List.of("a")))).isEqualTo(true);
    assertThat(rewritten.call(null, "sum", (Object) new int[] {Integer.MAX_VALUE, 1}))
        .isEqualTo(Integer.MAX_VALUE);
  }

  /** Calls named like queue operations on types that cannot be queues, and one that can. */
  static final class LookAlikes {
    int lengths(StringBuilder text, List<String> list) {
      return text.length() + list.size() + (list.isEmpty() ? 0 : list.remove(0).length());
    }
  }

  static final class ApplicationQueue {
    String drain(Mailbox mailbox) {
      return mailbox.isEmpty() ? null : mailbox.poll();
    }
  }

  static final class Mailbox extends LinkedBlockingQueue<String> {}

  @Test
  void theLookBeforeParsingSeesQueueCallsByOwnerAndOperation() throws Exception {
    assertThat(QueueCheckClassVisitor.REWRITER.mayChange(
        new ClassReader(Rewritten.classFile(LookAlikes.class))))
        .as("size, isEmpty and remove on java/util/List, no queue").isFalse();
    assertThat(QueueCheckClassVisitor.REWRITER.mayChange(
        new ClassReader(Rewritten.classFile(ApplicationQueue.class))))
        .as("isEmpty and poll on an application type").isTrue();
    assertThat(QueueCheckClassVisitor.REWRITER.mayChange(
        new ClassReader(Rewritten.classFile(Mixed.class)))).isTrue();
  }
}
