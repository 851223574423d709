package dev.lockguard.agent.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.Target;
import dev.lockguard.agent.queue.QueuePairFinder.Call;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
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
    byte[] rewritten = rewrite(QueueShapes.class);
    assertThat(hookCalls(rewritten)).as("hooks around the pairs' sites").isPositive();

    Class<?> shapes = new ChildFirst(QueueShapes.class, rewritten).loadClass(QueueShapes.class.getName());
    Constructor<?> constructor = shapes.getDeclaredConstructor();
    constructor.setAccessible(true); // another loader: another runtime package
    Object instance = constructor.newInstance();
    Field field = shapes.getDeclaredField("queue");
    field.setAccessible(true);
    @SuppressWarnings("unchecked")
    BlockingQueue<String> queue = (BlockingQueue<String>) field.get(instance);
    queue.add("a");
    assertThat(call(instance, "fieldThroughLocal")).isEqualTo("a");
    assertThat(call(instance, "materialisedBoolean", "b")).isEqualTo(true);
    call(instance, "drainLoop");
    assertThat(queue).isEmpty();
    assertThat(call(instance, "removeAfterPeek", new ArrayDeque<>(List.of("c")))).isEqualTo("c");
    assertThat(call(instance, "localVariable")).isEqualTo("x");
  }

  private static Object call(Object instance, String name, Object... arguments) throws Exception {
    for (Method method : instance.getClass().getDeclaredMethods()) {
      if (method.getName().equals(name)) {
        method.setAccessible(true);
        return method.invoke(instance, arguments);
      }
    }
    throw new AssertionError("no method " + name);
  }

  private static byte[] rewrite(Class<?> type) throws IOException {
    ClassReader reader = new ClassReader(type.getName());
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    reader.accept(new QueueCheckClassVisitor(writer, new Target(reader, type.getClassLoader(), true)),
        ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  private static long hookCalls(byte[] classFile) {
    ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, 0);
    long hooks = 0;
    for (MethodNode method : node.methods) {
      for (AbstractInsnNode insn : method.instructions) {
        if (insn instanceof MethodInsnNode call
            && call.owner.equals("dev/lockguard/internal/queue/QueueHooks")) {
          hooks++;
        }
      }
    }
    return hooks;
  }

  /** Defines one rewritten class itself and delegates everything else. */
  private static final class ChildFirst extends ClassLoader {
    private final String name;
    private final byte[] classFile;

    ChildFirst(Class<?> type, byte[] classFile) {
      super(type.getClassLoader());
      this.name = type.getName();
      this.classFile = classFile;
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
      if (className.equals(name)) {
        synchronized (getClassLoadingLock(className)) {
          Class<?> loaded = findLoadedClass(className);
          return loaded != null ? loaded : defineClass(className, classFile, 0, classFile.length);
        }
      }
      return super.loadClass(className, resolve);
    }
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
        String name = FlowValue.displayName(pair.getKey().origin());
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

  /** As the agent answers it: through byte-buddy's type pool, without loading the class. */
  private static boolean isApplicationQueue(String internalName) {
    TypePool pool = TypePool.Default.of(QueuePairFinderTests.class.getClassLoader());
    TypePool.Resolution resolution = pool.describe(internalName.replace('/', '.'));
    return resolution.isResolved() && resolution.resolve().isAssignableTo(java.util.Queue.class);
  }
}
