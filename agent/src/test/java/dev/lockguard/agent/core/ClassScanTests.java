package dev.lockguard.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.latch.LatchClassVisitor;
import dev.lockguard.agent.latch.LatchTypes;
import dev.lockguard.agent.lockorder.LockSiteClassVisitor;
import dev.lockguard.agent.queue.QueueCheckClassVisitor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

/**
 * The look before parsing ({@link ClassRewriter#mayChange}): a class without any lock, queue or
 * latch use is left alone unparsed, and each way a class can need a rewriter is still seen.
 */
class ClassScanTests {
  private static final ClassRewriter LOCKS = LockSiteClassVisitor.REWRITER;
  private static final ClassRewriter QUEUES = QueueCheckClassVisitor.REWRITER;
  private static final ClassRewriter LATCHES = LatchClassVisitor.rewriter(new LatchTypes(List.of()));

  static final class Plain {
    private final StringBuilder text = new StringBuilder();

    String add(String word) {
      return text.append(word).toString(); // calls, but none any rewriter cares about
    }
  }

  static final class Block {
    private final Object guard = new Object();
    private int count;

    void add() {
      synchronized (guard) {
        count++;
      }
    }
  }

  static final class Method {
    private int count;

    synchronized void add() {
      count++;
    }
  }

  static final class Waits {
    void pause(Object monitor) throws InterruptedException {
      monitor.wait(); // IllegalMonitorStateException at run time; only its bytes matter here
    }
  }

  static final class Locks {
    void run(Lock lock) {
      lock.lock();
      lock.unlock();
    }
  }

  static final class Latch {
    private final CountDownLatch done = new CountDownLatch(1);

    void finish() {
      done.countDown();
    }
  }

  static final class Checks {
    Object take(Queue<Object> queue) {
      return queue.isEmpty() ? null : queue.poll();
    }
  }

  @Test
  void aClassWithoutLocksQueuesOrLatchesIsNotParsed() throws IOException {
    ClassReader plain = reader(Plain.class);
    assertThat(List.of(LOCKS, QUEUES, LATCHES)).noneMatch(rewriter -> rewriter.mayChange(plain));
    LockTransformer transformer = new LockTransformer(
        new ClassFilter(List.of(), List.of(), Set.of()), List.of(LOCKS, QUEUES, LATCHES));
    assertThat(transformer.rewrite(bytes(Plain.class), Plain.class.getClassLoader(), true))
        .isNull();
  }

  @Test
  void everyKindOfLockUseIsSeenBeforeParsing() throws IOException {
    for (Class<?> type : List.of(Block.class, Method.class, Waits.class, Locks.class)) {
      assertThat(LOCKS.mayChange(reader(type))).as(type.getSimpleName()).isTrue();
    }
    assertThat(LATCHES.mayChange(reader(Latch.class))).isTrue();
    assertThat(QUEUES.mayChange(reader(Checks.class))).isTrue();
    assertThat(LOCKS.mayChange(reader(Latch.class))).as("a latch is no lock").isFalse();
  }

  private static ClassReader reader(Class<?> type) throws IOException {
    return new ClassReader(bytes(type));
  }

  private static byte[] bytes(Class<?> type) throws IOException {
    String file = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(file)) {
      return in.readAllBytes();
    }
  }

  static final class WithInitializer {
    static final List<String> NAMES = List.of("a", "b"); // a <clinit>
  }

  @Test
  void theClassInitRewriterParsesOnlyClassesWithAnInitializer() throws IOException {
    ClassRewriter classInit = dev.lockguard.agent.classinit.ClassInitClassVisitor.REWRITER;

    assertThat(classInit.mayChange(reader(WithInitializer.class))).isTrue();
    assertThat(classInit.mayChange(reader(Plain.class))).isFalse();
    assertThat(classInit.mayChange(reader(Block.class))).isFalse();
    assertThat(ClassScan.declaresMethod(reader(Block.class), "add")).isTrue();
    assertThat(ClassScan.declaresMethod(reader(Block.class), "remove")).isFalse();
    assertThat(ClassScan.mayUseMonitors(reader(Block.class))).isTrue();
    assertThat(ClassScan.mayUseMonitors(reader(Plain.class))).isFalse();
  }
}
