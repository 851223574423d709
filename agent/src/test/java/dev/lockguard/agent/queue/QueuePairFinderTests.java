package dev.lockguard.agent.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.Getters;
import dev.lockguard.agent.core.Rewritten;
import dev.lockguard.agent.core.TypeHierarchy;
import dev.lockguard.agent.queue.QueuePairFinder.Call;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/** The static part of the queue check on the shapes of {@link QueueShapes}. */
class QueuePairFinderTests {

  // ---- pairs ----------------------------------------------------------------------------------

  @Test
  void isEmptyThenTakeOnAnInstanceField() throws IOException {
    assertThat(pairs("takeWhenNotEmpty")).containsExactly("isEmpty -> take on QueueShapes.queue");
  }

  @Test
  void sizeThenPutOnAStaticField() throws IOException {
    assertThat(pairs("putWhenRoom")).containsExactly("size -> put on QueueShapes.SHARED");
  }

  @Test
  void peekThenRemoveOnAParameter() throws IOException {
    assertThat(pairs("removeAfterPeek")).containsExactly("peek -> remove on (identity)");
  }

  @Test
  void sizeThenPollOnALocalVariable() throws IOException {
    assertThat(pairs("localVariable")).containsExactly("size -> poll on (identity)");
  }

  @Test
  void fieldCopiedIntoALocalIsStillTheField() throws IOException {
    assertThat(pairs("fieldThroughLocal")).containsExactly("isEmpty -> take on QueueShapes.queue");
  }

  @Test
  void booleanMaterialisedFromTheCheckStillDecides() throws IOException {
    assertThat(pairs("materialisedBoolean"))
        .containsExactly("remainingCapacity -> offer on QueueShapes.queue");
  }

  @Test
  void loopConditionDecidesTheBody() throws IOException {
    assertThat(pairs("drainLoop")).containsExactly("isEmpty -> poll on QueueShapes.queue");
  }

  @Test
  void endlessLoopStillHasRegions() throws IOException {
    assertThat(pairs("endlessConsumer")).containsExactly("isEmpty -> take on QueueShapes.queue");
  }

  @Test
  void throwOnFullDecidesTheAddAfterIt() throws IOException {
    assertThat(pairs("throwWhenFull")).containsExactly("size -> add on QueueShapes.queue");
  }

  @Test
  void applicationQueueTypeResolvedThroughTheTypePool() throws IOException {
    assertThat(pairs("applicationQueue")).containsExactly("remainingCapacity -> put on (identity)");
  }

  @Test
  void superCallInAnApplicationQueue() throws IOException {
    assertThat(pairs(QueueShapes.Mailbox.class, "offer", "(Ljava/lang/String;)Z"))
        .containsExactly("size -> offer on (identity)");
  }

  // ---- no pairs -------------------------------------------------------------------------------

  @Test
  void sizeUsedOnlyForLoggingDecidesNoAct() throws IOException {
    assertThat(pairs("sizeForLoggingOnly")).isEmpty();
    assertThat(callsSeen("sizeForLoggingOnly")).isEqualTo(2);
  }

  @Test
  void metricsInsideAnEndlessLoopDecideNoAct() throws IOException {
    assertThat(pairs("metricsInEndlessLoop")).isEmpty();
  }

  @Test
  void timedPollIsTheFixNotAnAct() throws IOException {
    assertThat(pairs("timedPollLoop")).isEmpty();
    assertThat(callsSeen("timedPollLoop")).isEqualTo(2);
  }

  @Test
  void checkOnOneQueueDoesNotDecideAnActOnAnother() throws IOException {
    assertThat(pairs("differentQueues")).isEmpty();
  }

  @Test
  void listsAreNotQueues() throws IOException {
    assertThat(pairs("notAQueue")).isEmpty();
    assertThat(callsSeen("notAQueue")).isZero();
  }

  @Test
  void removeOfAGivenElementIsNoAct() throws IOException {
    assertThat(pairs("removeGivenElement")).isEmpty();
  }

  @Test
  void sentinelShutdownHasNoCheck() throws IOException {
    assertThat(pairs("sentinelConsumer")).isEmpty();
  }

  // ---- rewriting ------------------------------------------------------------------------------

  @Test
  void rewrittenMethodsVerifyAndRunAsBefore() throws Exception {
    Rewritten rewritten =
        Rewritten.by(QueueShapes.class, QueueCheckClassVisitor.REWRITER).verified();
    assertThat(rewritten.hookCount()).as("hooks around the pairs' sites").isPositive();

    Object instance = rewritten.newInstance();
    Field field = rewritten.load().getDeclaredField("queue");
    field.setAccessible(true);
    @SuppressWarnings("unchecked")
    BlockingQueue<String> queue = (BlockingQueue<String>) field.get(instance);
    queue.add("a");
    assertThat(rewritten.call(instance, "fieldThroughLocal")).isEqualTo("a");
    assertThat(rewritten.call(instance, "materialisedBoolean", "b")).isEqualTo(true);
    rewritten.call(instance, "drainLoop");
    assertThat(queue).isEmpty();
    assertThat(rewritten.call(instance, "removeAfterPeek", new ArrayDeque<>(List.of("c"))))
        .isEqualTo("c");
    assertThat(rewritten.call(instance, "localVariable")).isEqualTo("x");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static List<String> pairs(String method) throws IOException {
    return pairs(QueueShapes.class, method, null);
  }

  private static int callsSeen(String method) throws IOException {
    return find(QueueShapes.class, method, null).callsSeen();
  }

  private static List<String> pairs(Class<?> type, String method, String descriptor)
      throws IOException {
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<Call, List<Call>> pair : find(type, method, descriptor).checksOfAct().entrySet()) {
      for (Call check : pair.getValue()) {
        String name = FlowValue.displayName(pair.getKey().origin(), Getters.NONE);
        pairs.add(check.op().methodName + " -> " + pair.getKey().op().methodName + " on "
            + (name == null ? "(identity)" : name));
      }
    }
    return pairs;
  }

  private static QueuePairFinder.Result find(Class<?> type, String method, String descriptor)
      throws IOException {
    ClassNode node = new ClassNode();
    new ClassReader(type.getName()).accept(node, ClassReader.EXPAND_FRAMES);
    QueueTypes types = new QueueTypes(QueuePairFinderTests::isApplicationQueue);
    for (MethodNode candidate : node.methods) {
      if (candidate.name.equals(method) && (descriptor == null || candidate.desc.equals(descriptor))) {
        return QueuePairFinder.find(node.name, candidate, types::isQueueType);
      }
    }
    throw new AssertionError("no method " + method);
  }

  /** As the agent answers it: from the class files' headers, without loading the class. */
  private static boolean isApplicationQueue(String internalName) {
    return new TypeHierarchy(QueuePairFinderTests.class.getClassLoader())
        .isSubtypeOf(internalName, java.util.Queue.class);
  }
}
