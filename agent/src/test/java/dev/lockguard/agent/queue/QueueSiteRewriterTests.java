package dev.lockguard.agent.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.ClassFilter;
import dev.lockguard.agent.core.LockTransformer;
import dev.lockguard.agent.core.Rewritten;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The queue check's rewriter on {@link QueueShapes}, in-process: the rewritten class passes ASM's
 * verifier and the JVM's, hooks stand around the sites of its pairs only (a check's after it, with
 * what it returned), each site is named after
 * the queue's field, and run against the runtime the queue calls do what they did.
 */
class QueueSiteRewriterTests {
  private static final String COUNT = "QueueHooks.afterCheck(ILjava/lang/Object;I)V";
  private static final String IS_EMPTY = "QueueHooks.afterIsEmpty(ZLjava/lang/Object;I)V";
  private static final String PEEK =
      "QueueHooks.afterPeek(Ljava/lang/Object;Ljava/lang/Object;I)V";
  private static final String ACT = "QueueHooks.act(Ljava/lang/Object;I)V";
  private static final String AFTER_CHANGE = "QueueHooks.afterChange(Ljava/lang/Object;I)V";

  private static Rewritten shapes;

  @BeforeAll
  static void rewrite() throws Exception {
    shapes = Rewritten.by(QueueShapes.class, QueueCheckClassVisitor.REWRITER).verified();
  }

  @Test
  void callsOnlyTheQueueHooks() {
    assertThat(shapes.hookOwners()).containsExactly("dev/lockguard/internal/queue/QueueHooks");
  }

  @Test
  void checkAndActOfAPairAreHookedInPlace() throws Exception {
    assertThat(shapes.trace("takeWhenNotEmpty")).containsExactly(
        "BlockingQueue.isEmpty", IS_EMPTY + " @ QueueShapes.queue",
        ACT + " @ QueueShapes.queue", "BlockingQueue.take", AFTER_CHANGE + " @ QueueShapes.queue",
        "return", "return");
    assertThat(shapes.trace("putWhenRoom")).containsExactly(
        "BlockingQueue.size", COUNT + " @ QueueShapes.SHARED",
        ACT + " @ QueueShapes.SHARED", "BlockingQueue.put", AFTER_CHANGE + " @ QueueShapes.SHARED",
        "return");

    Object instance = shapes.newInstance();
    queueOf(instance).add("a");
    assertThat(shapes.call(instance, "takeWhenNotEmpty")).isEqualTo("a");
  }

  @Test
  void actsThatMayNotChangeTheQueueReportWhatTheyDid() throws Exception {
    assertThat(shapes.trace("materialisedBoolean")).containsExactly(
        "BlockingQueue.remainingCapacity", COUNT + " @ QueueShapes.queue", "return",
        ACT + " @ QueueShapes.queue", "BlockingQueue.offer",
        "QueueHooks.afterOffer(ZLjava/lang/Object;I)V @ QueueShapes.queue", "return");
    assertThat(shapes.trace("drainLoop")).containsExactly(
        "BlockingQueue.isEmpty", IS_EMPTY + " @ QueueShapes.queue",
        ACT + " @ QueueShapes.queue", "BlockingQueue.poll",
        "QueueHooks.afterPoll(Ljava/lang/Object;Ljava/lang/Object;I)V @ QueueShapes.queue",
        "return");

    Object instance = shapes.newInstance();
    assertThat(shapes.call(instance, "materialisedBoolean", "b")).isEqualTo(true);
    shapes.call(instance, "drainLoop");
    assertThat(queueOf(instance)).isEmpty();
  }

  @Test
  void queueKnownOnlyByIdentityHasUnnamedSites() throws Exception {
    assertThat(shapes.trace("removeAfterPeek")).containsExactly(
        "Deque.peek", PEEK + " @ null",
        ACT + " @ null", "Deque.remove", AFTER_CHANGE + " @ null",
        "return", "return");

    assertThat(shapes.call(shapes.newInstance(), "removeAfterPeek", new ArrayDeque<>(List.of("c"))))
        .isEqualTo("c");
  }

  @Test
  void callsOutsideAnyPairStayAsTheyWere() {
    assertThat(shapes.trace("sizeForLoggingOnly")).containsExactly(
        "BlockingQueue.size", "PrintStream.println", "BlockingQueue.take", "return");
  }

  @ParameterizedTest
  @ValueSource(classes = {ArrayBlockingQueue.class, LinkedBlockingQueue.class,
      LinkedBlockingDeque.class, PriorityBlockingQueue.class, DelayQueue.class})
  void theJdksOwnBlockingQueuesAreLeftAlone(Class<?> queue) throws Exception {
    byte[] classfile;
    try (InputStream in = queue.getResourceAsStream(queue.getSimpleName() + ".class")) {
      classfile = in.readAllBytes();
    }
    LockTransformer queueCheckOnly = new LockTransformer(
        new ClassFilter(List.of(), List.of(), Set.of()), List.of(QueueCheckClassVisitor.REWRITER));

    assertThat(queueCheckOnly.rewrite(classfile, null, true)).as(queue.getName()).isNull();
  }

  @SuppressWarnings("unchecked")
  private static BlockingQueue<String> queueOf(Object instance)
      throws ReflectiveOperationException {
    var field = instance.getClass().getDeclaredField("queue");
    field.setAccessible(true);
    return (BlockingQueue<String>) field.get(instance);
  }
}
