package dev.lockguard.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.latch.LatchClassVisitor;
import dev.lockguard.agent.latch.LatchOption;
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
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

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

  /** Sites in some methods only, behind instructions of every length the scan must decode. */
  static final class SomeMethods {
    private final Object lock = new Object(); // a field named like a lock method: no site
    private final Lock held;
    private long total;

    SomeMethods(Lock held) {
      this.held = held;
    }

    Object lockField() {
      return lock;
    }

    int switches(int key, String text) { // tableswitch, lookupswitch, wide-free operands
      int result = switch (key) {
        case 0 -> 10;
        case 1 -> 20;
        case 2 -> 30;
        default -> 40;
      };
      return result + switch (text) {
        case "a" -> 1;
        case "b" -> 2;
        default -> 0;
      };
    }

    long arithmetic(long[] values, double scale) { // ldc2_w, iinc, long and double operands
      long sum = 1_000_000_000_000L;
      for (int i = 0; i < values.length; i += 300) {
        sum += (long) (values[i] * scale);
      }
      return sum;
    }

    void switchThenLock(int key) { // a site after a switch: found only if the switch decodes
      switch (key) {
        case 7 -> total++;
        case 700 -> total--;
        default -> total += key;
      }
      held.lock();
      held.unlock();
    }

    void block() {
      synchronized (lock) {
        total++;
      }
    }

    synchronized void method() {
      total++;
    }

    void waits() throws InterruptedException {
      lock.wait();
    }

    Runnable reference() {
      return held::lock; // invokedynamic with a handle to Lock.lock
    }
  }

  @Test
  void theMethodsThatMayHoldALockSiteAreFoundByDecodingEachMethodsCode() throws IOException {
    var sites = ClassScan.methodsWithSites(reader(SomeMethods.class),
        ClassScan.Names.of(Set.of("lock", "unlock", "wait")), true);

    assertThat(sites.keySet()).containsExactlyInAnyOrder("switchThenLock(I)V", "block()V",
        "method()V", "waits()V", "reference()Ljava/lang/Runnable;");
    assertThat(sites.get("method()V").maxLocals()).as("this").isEqualTo(1);
    assertThat(ClassScan.methodsWithSites(reader(SomeMethods.class), ClassScan.Names.of(Set.of("wait")),
        false)
        .keySet()).as("without monitors, and a handle to lock() is no handle to wait()")
        .containsExactly("waits()V");
    assertThat(ClassScan.methodsWithSites(reader(Plain.class),
        ClassScan.Names.of(Set.of("lock", "wait")), true))
        .isEmpty();
    assertThat(LOCKS.mayChange(reader(FieldNamedLock.class)))
        .as("a field named lock is no site: the class is not parsed").isFalse();
  }

  static final class FieldNamedLock {
    private final Object lock = new Object();

    @Override
    public String toString() {
      return String.valueOf(lock);
    }
  }

  /** A latch only in a descriptor, after a type whose name has an L of its own. */
  static final class PassesLatch {
    void hand(List<String> names, CountDownLatch latch) {
      keep(names, latch);
    }

    static void keep(List<String> names, CountDownLatch latch) {}
  }

  static final class ArrayOfLatches {
    Object[] make() {
      return new CountDownLatch[2];
    }
  }

  private static final ClassScan.Names LATCH =
      ClassScan.Names.of(List.of("java/util/concurrent/CountDownLatch"));
  private static final ClassScan.Names LATCH_FIELD =
      ClassScan.Names.of(List.of("Ljava/util/concurrent/CountDownLatch;"));

  @Test
  void aTypeIsUsedByItsWholeNameInAClassEntryOrAFieldDescriptor() throws IOException {
    assertThat(ClassScan.usesType(reader(Latch.class), LATCH, LATCH_FIELD)).isTrue();
    assertThat(ClassScan.usesType(reader(ArrayOfLatches.class), LATCH, LATCH_FIELD))
        .as("the element type of a new array").isTrue();
    assertThat(ClassScan.usesType(reader(PassesLatch.class), LATCH, LATCH_FIELD))
        .as("only in a method's descriptor: passed along, no site").isFalse();
    assertThat(ClassScan.usesType(reader(Latch.class),
        ClassScan.Names.of(List.of("java/util/concurrent/CountDown", "java/util/concurrent/Count")),
        ClassScan.Names.of(List.of("Ljava/util/concurrent/CountDown;")))).as("whole names only")
        .isFalse();
    assertThat(ClassScan.usesType(reader(Plain.class), LATCH, LATCH_FIELD)).isFalse();
  }

  @Test
  void aLatchPassedAlongIsNotParsedAndParsingItWouldChangeNothing() throws IOException {
    assertThat(LATCHES.mayChange(reader(PassesLatch.class))).isFalse();
    ClassRewriter alwaysParsed = ClassRewriter.prescanned(LATCHES::wrap, reader -> true);
    LockTransformer transformer = new LockTransformer(
        new ClassFilter(List.of(), List.of(), Set.of()), List.of(alwaysParsed));
    assertThat(transformer.rewrite(bytes(PassesLatch.class), PassesLatch.class.getClassLoader(),
        true)).isNull();
    assertThat(transformer.rewrite(bytes(Latch.class), Latch.class.getClassLoader(), true))
        .as("the same transformer does rewrite a latch's calls").isNotNull();
  }

  @Test
  void aFieldOfTheTypeCountsWithoutAClassEntryOfIt() {
    // The field's type is named only in the field reference's descriptor: no call on it.
    ClassReader reader = calling("com/acme/Other", "run", "java/util/concurrent/CountDownLatch");

    assertThat(ClassScan.usesType(reader, LATCH, LATCH_FIELD)).isTrue();
    assertThat(ClassScan.usesType(reader, LATCH, ClassScan.Names.of(List.of("Ljava/lang/Object;"))))
        .isFalse();
  }

  /** A class written with ASM that calls {@code owner.name()V} and has a field of {@code type}. */
  private static ClassReader calling(String owner, String name, String fieldType) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Caller", null, "java/lang/Object",
        null);
    writer.visitField(Opcodes.ACC_PRIVATE, "field", "L" + fieldType + ";", null, null).visitEnd();
    MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
    method.visitCode();
    method.visitVarInsn(Opcodes.ALOAD, 0);
    method.visitFieldInsn(Opcodes.GETFIELD, "com/acme/Caller", "field", "L" + fieldType + ";");
    method.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, name, "()V", false);
    method.visitInsn(Opcodes.RETURN);
    method.visitMaxs(0, 0);
    method.visitEnd();
    writer.visitEnd();
    return new ClassReader(writer.toByteArray());
  }

  @Test
  void namesBeyondAsciiMatchByTheirClassFileBytes() {
    String signal = "com/acme/Sign\u00e4l\u4e2d"; // two and three bytes in modified UTF-8
    ClassReader reader = calling(signal, "f\u00fcr", signal);

    ClassScan.Names noField = ClassScan.Names.of(List.of("Lcom/acme/None;"));
    assertThat(ClassScan.usesType(reader, ClassScan.Names.of(List.of(signal)), noField)).isTrue();
    assertThat(ClassScan.usesType(reader, ClassScan.Names.of(List.of("com/acme/Signal")), noField))
        .isFalse();
    assertThat(ClassScan.refersToName(reader, ClassScan.Names.of(Set.of("f\u00fcr")))).isTrue();
    assertThat(ClassScan.refersToName(reader, ClassScan.Names.of(Set.of("fur")))).isFalse();
    LatchTypes userLatch = new LatchTypes(List.of(new LatchOption.Spec(signal.replace('/', '.'),
        Set.of("fire"), Set.of("reset"), Set.of("waitFor"))));
    assertThat(LatchClassVisitor.rewriter(userLatch).mayChange(reader))
        .as("a field of a latches= type").isTrue();
    assertThat(LATCHES.mayChange(reader)).isFalse();
    LatchTypes callerIsALatch = new LatchTypes(List.of(new LatchOption.Spec("com.acme.Caller",
        Set.of("fire"), Set.of("reset"), Set.of("waitFor"))));
    assertThat(LatchClassVisitor.rewriter(callerIsALatch)
        .mayChange(calling("com/acme/Other", "run", "java/lang/Object")))
        .as("the class latches= names, which mentions no latch").isTrue();
  }

  @Test
  void eachSetOfNamesIsAnsweredForItselfWhenCallsAlternate() {
    ClassReader locks = calling("java/util/concurrent/locks/Lock", "lock", "java/lang/Object");
    ClassScan.Names lockNames = ClassScan.Names.of(Set.of("lock", "unlock"));
    ClassScan.Names waitNames = ClassScan.Names.of(Set.of("wait"));

    for (int round = 0; round < 2; round++) {
      assertThat(ClassScan.refersToName(locks, lockNames)).isTrue();
      assertThat(ClassScan.refersToName(locks, waitNames)).isFalse();
    }
    assertThat(LOCKS.mayChange(locks)).isTrue();
    assertThat(QUEUES.mayChange(locks)).isFalse();
  }
}
