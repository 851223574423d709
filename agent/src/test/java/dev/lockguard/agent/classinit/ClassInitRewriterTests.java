package dev.lockguard.agent.classinit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.LockGuard;
import dev.lockguard.agent.Rewriters;
import dev.lockguard.agent.core.ClassFilter;
import dev.lockguard.agent.core.LockTransformer;
import dev.lockguard.agent.core.Rewritten;
import dev.lockguard.agent.latch.LatchTypes;
import dev.lockguard.internal.TestSupport;
import dev.lockguard.internal.classinit.ClassInitHooks;
import dev.lockguard.internal.classinit.ClassInits;
import dev.lockguard.report.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The class-initialization rewriter on {@link InitSites}, in-process: the rewritten class passes
 * ASM's verifier and the JVM's, and its initializer calls the hooks and nothing else of the
 * runtime; a class only this rewriter changes is read when its initializer starts, not when it
 * is loaded.
 */
class ClassInitRewriterTests {
  private static final String SHAPES = "fixtures.agent.classinit.Shapes$";

  @Test
  void initializerCallsTheHooksAroundItsBodyAndBeforeItsMonitor() throws Exception {
    Rewritten rewritten = Rewritten.by(InitSites.class, ClassInitClassVisitor.REWRITER).verified();

    assertThat(rewritten.hookOwners())
        .containsExactly("dev/lockguard/internal/classinit/ClassInitHooks");
    assertThat(rewritten.hookCount()).as("enter, lockInInitializer, exit at the return and"
        + " in the catch-all handler").isEqualTo(4);
    assertThat(rewritten.load().getDeclaredField("SIZE").getInt(null)).isEqualTo(5);
  }

  @Test
  void retransformedClassesAreLeftAlone() throws Exception {
    byte[] classfile;
    try (InputStream in = InitSites.class.getResourceAsStream("InitSites.class")) {
      classfile = in.readAllBytes();
    }
    LockTransformer transformer = new LockTransformer(
        new ClassFilter(List.of(), List.of(), Set.of()), List.of(ClassInitClassVisitor.REWRITER));

    assertThat(transformer.rewrite(classfile, InitSites.class.getClassLoader(), false))
        .as("unchanged: its initializer ran before the agent could watch it").isNull();
  }

  /**
   * {@code Shapes.FieldA} and {@code FieldB} read each other's fields. Under the agent's four
   * rewriters only this one changes them: they are patched and declared from their headers, and
   * their class files are kept, not read. When their initializers start (the hooks called as the
   * JVM would call them, A's initializer starting B's), the runtime has {@link
   * ClassInitClassVisitor#READER} read each class file once, and the cycle it reads is reported
   * with the sites of the real bytecode. A class another rewriter parses is read at once.
   */
  @Test
  void aClassOnlyThisRewriterChangesIsReadWhenItsInitializerStarts() throws Exception {
    LockTransformer agent = new LockTransformer(new ClassFilter(List.of(), List.of(), Set.of()),
        Rewriters.of(new LatchTypes(List.of()), true));
    List<byte[]> read = new ArrayList<>();
    List<Violation> findings = new ArrayList<>();
    Consumer<Violation> listener = findings::add;
    TestSupport.reset();
    TestSupport.quiet();
    ClassInits.readWith(classfile -> {
      read.add(classfile);
      ClassInitClassVisitor.READER.describe(classfile);
    });
    LockGuard.addListener(listener);
    try {
      long kept = unreadBytes();
      byte[] fieldA = classFile(SHAPES + "FieldA");
      byte[] fieldB = classFile(SHAPES + "FieldB");
      ClassLoader loader = getClass().getClassLoader();
      assertThat(agent.rewrite(fieldA, loader, true)).as("patched").isNotNull();
      assertThat(agent.rewrite(fieldB, loader, true)).as("patched").isNotNull();
      assertThat(read).as("nothing read while loading").isEmpty();
      assertThat(unreadBytes()).isEqualTo(kept + fieldA.length + fieldB.length);

      int a = ClassInits.reserve(SHAPES + "FieldA");
      int b = ClassInits.reserve(SHAPES + "FieldB");
      ClassInitHooks.enter(a);
      ClassInitHooks.enter(b); // A's initializer reads B.SHARED
      ClassInitHooks.exit(b); // B's read of A.LIMIT returned at once: A is in progress
      ClassInitHooks.exit(a);

      assertThat(read).containsExactly(fieldA, fieldB);
      assertThat(unreadBytes()).isEqualTo(kept);
      assertThat(findings).hasSize(1);
      Violation cycle = findings.get(0);
      assertThat(cycle.kind()).isEqualTo(Violation.Kind.POTENTIAL_DEADLOCK);
      assertThat(cycle.locks()).extracting(Violation.LockRef::name)
          .containsExactly(SHAPES + "FieldA", SHAPES + "FieldB");
      assertThat(cycle.sites()).containsExactly(
          SHAPES + "FieldA.<clinit>(Shapes.java:56)", SHAPES + "FieldB.<clinit>(Shapes.java:60)");

      byte[] driver = classFile("fixtures.agent.classinit.LockShapes$Driver");
      assertThat(agent.rewrite(driver, loader, true)).as("rewritten by ASM's pass").isNotNull();
      assertThat(read).as("read at once, not kept").hasSize(2);
      assertThat(unreadBytes()).isEqualTo(kept);
    } finally {
      LockGuard.removeListener(listener);
      ClassInits.readWith(null);
      TestSupport.reset();
    }
  }

  /**
   * {@code Shapes.OffsetEmpty}'s initializer only makes an {@code int[]}: it is inert ({@link
   * InertInitializer}). Under the agent's four rewriters the class is left byte for byte as it
   * was, nothing of it is kept, and it is declared as a class without an initializer: the cycle
   * its superclass {@code AOffset} closes by making one is still reported, whole, from {@code
   * AOffset}'s hooks alone.
   */
  @Test
  void anInertInitializerGetsNoHooksAndItsCycleIsStillReported() throws Exception {
    LockTransformer agent = new LockTransformer(new ClassFilter(List.of(), List.of(), Set.of()),
        Rewriters.of(new LatchTypes(List.of()), true));
    List<Violation> findings = new ArrayList<>();
    Consumer<Violation> listener = findings::add;
    TestSupport.reset();
    TestSupport.quiet();
    ClassInits.readWith(ClassInitClassVisitor.READER);
    LockGuard.addListener(listener);
    try {
      long kept = unreadBytes();
      ClassLoader loader = getClass().getClassLoader();
      byte[] empty = classFile(SHAPES + "OffsetEmpty");
      assertThat(agent.rewrite(empty, loader, true)).as("left as it is").isNull();
      assertThat(unreadBytes()).isEqualTo(kept);
      assertThat(agent.rewrite(classFile(SHAPES + "AOffset"), loader, true)).as("patched")
          .isNotNull();

      int offset = ClassInits.reserve(SHAPES + "AOffset");
      ClassInitHooks.enter(offset); // makes an OffsetEmpty, whose initializer has no hooks
      ClassInitHooks.exit(offset);

      assertThat(findings).hasSize(1);
      Violation cycle = findings.get(0);
      assertThat(cycle.kind()).isEqualTo(Violation.Kind.POTENTIAL_DEADLOCK);
      assertThat(cycle.locks()).extracting(Violation.LockRef::name)
          .containsExactly(SHAPES + "AOffset", SHAPES + "OffsetEmpty");
      assertThat(cycle.sites()).containsExactly(SHAPES + "AOffset.<clinit>(Shapes.java:46)");
      assertThat(cycle.message()).contains("thread B initializes Shapes$OffsetEmpty, whose"
          + " superclass Shapes$AOffset it must initialize first");
    } finally {
      LockGuard.removeListener(listener);
      ClassInits.readWith(null);
      TestSupport.reset();
    }
  }

  private static byte[] classFile(String className) throws IOException {
    try (InputStream in = ClassInitRewriterTests.class.getClassLoader()
        .getResourceAsStream(className.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /** The bytes of class files the runtime keeps unread. */
  private static long unreadBytes() throws ReflectiveOperationException {
    Method method = ClassInits.class.getDeclaredMethod("unreadBytes");
    method.setAccessible(true);
    return (long) method.invoke(null);
  }
}
