package dev.lockguard.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.classinit.ClassInitClassVisitor;
import dev.lockguard.agent.latch.LatchClassVisitor;
import dev.lockguard.agent.latch.LatchTypes;
import dev.lockguard.agent.lockorder.LockSiteClassVisitor;
import dev.lockguard.agent.queue.QueueCheckClassVisitor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The transformer's pass over a class with the agent's rewriters in the agent's order: only the
 * rewriters that may change the class see it, so a class whose only change is its initializer
 * is read for that method alone and its other methods are copied byte for byte.
 */
class LockTransformerTests {
  private static final ClassRewriter[] AGENT = {QueueCheckClassVisitor.REWRITER,
      LockSiteClassVisitor.REWRITER, LatchClassVisitor.rewriter(new LatchTypes(List.of())),
      ClassInitClassVisitor.AFTER_LOCK_ORDER};

  /** What {@link InitializerOnly}'s initializer counts in. */
  public static final class Counted {
    public static int count;
  }

  /** No lock, queue or latch: only the class-init rewriter may change it. */
  public static final class InitializerOnly {
    public static final int[] SQUARES = new int[8];
    public static final String NAME; // public: the rewritten class is in another loader

    static {
      Counted.count++; // another class touched: the initializer is not inert
      for (int i = 0; i < SQUARES.length; i++) { // a loop: a frame in <clinit>
        SQUARES[i] = i * i;
      }
      String name;
      try {
        name = String.valueOf(Integer.parseInt("49"));
      } catch (NumberFormatException e) { // a handler of its own: another frame
        name = "none";
      }
      NAME = name;
    }

    static int sum(int[] values) {
      int sum = 0;
      for (int value : values) { // frames here too, which a read would expand and rewrite
        sum += value;
      }
      return sum;
    }

    String describe(Object value) {
      return value instanceof String text ? text : String.valueOf(value);
    }
  }

  /** A {@code synchronized} method and an initializer: the lock rewriter sees it as well. */
  static final class InitializerAndMonitor {
    static final Object GUARD = new Object();
    static int count;

    static {
      synchronized (GUARD) {
        count = 1;
      }
    }

    static synchronized int next() {
      return ++count;
    }
  }

  /**
   * One method takes a lock and one a monitor; the others, with loops, handlers and lambdas (so
   * with frames), hold no site.
   */
  public static final class LockInTwoMethods {
    private final ReentrantLock lock = new ReentrantLock();
    private final Object guard = new Object();
    private int count;

    public int locked() {
      lock.lock();
      try {
        return ++count;
      } finally {
        lock.unlock();
      }
    }

    public int guarded() {
      synchronized (guard) {
        return ++count;
      }
    }

    public static int sum(int[] values) {
      int sum = 0;
      for (int value : values) {
        sum += value;
      }
      return sum;
    }

    public int parse(String text) {
      try {
        return Integer.parseInt(text);
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    public Supplier<Integer> counter() {
      return () -> count; // a lambda: an invokedynamic, with no handle to a lock method
    }
  }

  @Test
  void aLockClassIsRewrittenInItsSiteMethodsAloneAndTheOthersAreCopiedByteForByte()
      throws Exception {
    byte[] original = Rewritten.classFile(LockInTwoMethods.class);
    Rewritten rewritten = Rewritten.by(LockInTwoMethods.class, AGENT).verified();

    Map<String, byte[]> before = Rewritten.methodInfos(original);
    Map<String, byte[]> after = Rewritten.methodInfos(rewritten.bytes());
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String method : before.keySet()) {
      if (method.equals("locked()I") || method.equals("guarded()I")) {
        assertThat(after.get(method)).as(method).isNotEqualTo(before.get(method));
      } else {
        assertThat(after.get(method)).as("%s copied byte for byte", method)
            .isEqualTo(before.get(method));
      }
    }
    String stateful = "ILjava/lang/Object;)";
    assertThat(rewritten.trace("locked")).as("the stateful hooks").contains(
        "Hooks.lock(Ljava/util/concurrent/locks/Lock;" + stateful
            + "Ljava/lang/Object; @ LockTransformerTests$LockInTwoMethods.lock",
        "Hooks.unlock(Ljava/util/concurrent/locks/Lock;" + stateful
            + "V @ LockTransformerTests$LockInTwoMethods.lock");
    assertThat(rewritten.trace("guarded")).contains("Hooks.monitorEnter(Ljava/lang/Object;"
        + stateful + "Ljava/lang/Object; @ LockTransformerTests$LockInTwoMethods.guard",
        "monitorenter");
    Object instance = rewritten.newInstance(); // the JVM's verifier checks every method
    assertThat(rewritten.call(instance, "locked")).isEqualTo(1);
    assertThat(rewritten.call(instance, "guarded")).isEqualTo(2);
    assertThat(rewritten.call(null, "sum", (Object) new int[] {1, 2, 3})).isEqualTo(6);
    assertThat(rewritten.call(instance, "parse", "x")).isEqualTo(-1);
    assertThat(((Supplier<?>) rewritten.call(instance, "counter")).get()).isEqualTo(2);
  }

  @Test
  void aClassWhoseOnlyChangeIsItsInitializerIsReadForThatMethodAlone() throws Exception {
    byte[] original = Rewritten.classFile(InitializerOnly.class);
    Rewritten rewritten = Rewritten.by(InitializerOnly.class, AGENT).verified();

    Map<String, byte[]> before = Rewritten.methodInfos(original);
    Map<String, byte[]> after = Rewritten.methodInfos(rewritten.bytes());
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String method : before.keySet()) {
      if (method.startsWith("<clinit>")) {
        assertThat(after.get(method)).as(method).isNotEqualTo(before.get(method));
      } else {
        assertThat(after.get(method)).as("%s copied byte for byte", method)
            .isEqualTo(before.get(method));
      }
    }
    assertThat(rewritten.hookOwners())
        .containsExactly("dev/lockguard/internal/classinit/ClassInitHooks");
    assertThat(rewritten.hookCount()).as("enter, exit at the return and in the handler")
        .isEqualTo(3);
    Class<?> loaded = rewritten.load(); // the JVM's verifier checks the frames written compressed
    assertThat((int[]) loaded.getDeclaredField("SQUARES").get(null))
        .containsExactly(0, 1, 4, 9, 16, 25, 36, 49);
    assertThat(loaded.getDeclaredField("NAME").get(null)).isEqualTo("49");
  }

  @Test
  void aClassAnotherRewriterChangesTooIsReadWholeWithExpandedFrames() throws Exception {
    Rewritten rewritten = Rewritten.by(InitializerAndMonitor.class, AGENT).verified();

    assertThat(rewritten.hookOwners()).contains("dev/lockguard/internal/classinit/ClassInitHooks",
        "dev/lockguard/internal/lockorder/Hooks");
    assertThat(rewritten.call(null, "next")).isEqualTo(2);
  }
}
