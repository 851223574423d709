package dev.lockguard.agent.lockorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.core.Rewritten;
import dev.lockguard.internal.TestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The state local ({@link StateLocal}): where the rewritten methods keep their thread's state, the
 * shapes it must survive (checked by the JVM's verifier when the classes run), and the methods that
 * keep the plain hooks.
 */
class StateLocalTests {
  private static final String HOOKS = LockTypes.HOOKS;
  private static final String STATE_ENTER =
      "Hooks.monitorEnter(Ljava/lang/Object;ILjava/lang/Object;)Ljava/lang/Object;";
  private static final String STATE_EXIT =
      "Hooks.monitorExit(Ljava/lang/Object;Ljava/lang/Object;)V";

  @Test
  void aMethodStoresNullInItsStateLocalOnceAndEveryHotHookPassesItOn() throws Exception {
    Rewritten shapes =
        Rewritten.by(StateLocalShapes.class, LockSiteClassVisitor.REWRITER).verified();

    MethodNode loop = method(shapes, "loop");
    int slot = maxLocals(StateLocalShapes.class, "loop"); // past the method's own locals
    AbstractInsnNode first = loop.instructions.getFirst();
    while (first.getOpcode() < 0) {
      first = first.getNext(); // labels and line numbers
    }
    assertThat(first.getOpcode()).isEqualTo(Opcodes.ACONST_NULL);
    assertThat(first.getNext()).isInstanceOfSatisfying(VarInsnNode.class, store -> {
      assertThat(store.getOpcode()).isEqualTo(Opcodes.ASTORE);
      assertThat(store.var).isEqualTo(slot);
    });
    List<String> stateful = new ArrayList<>();
    for (AbstractInsnNode insn : loop.instructions) {
      if (insn instanceof MethodInsnNode call && call.owner.equals(HOOKS)) {
        assertThat(call.desc).as(call.name).endsWith(
            call.name.equals("lock") || call.name.equals("monitorEnter")
                ? "Ljava/lang/Object;)Ljava/lang/Object;" : "Ljava/lang/Object;)V");
        assertThat(((VarInsnNode) call.getPrevious()).var).as("%s loads it", call.name)
            .isEqualTo(slot);
        if (call.desc.endsWith(")Ljava/lang/Object;")) {
          VarInsnNode store = (VarInsnNode) call.getNext();
          assertThat(store.getOpcode()).isEqualTo(Opcodes.ASTORE);
          assertThat(store.var).as("%s stores it back", call.name).isEqualTo(slot);
        }
        stateful.add(call.name);
      }
    }
    // Two monitors and a lock, each released on the normal path and in javac's handlers.
    assertThat(stateful).containsExactly("monitorEnter", "lock", "monitorEnter",
        "monitorExit", "monitorExit", "unlock", "unlock", "monitorExit", "monitorExit");

    Object instance = shapes.newInstance();
    assertThat(shapes.call(instance, "loop", 1_000)).as("all three held inside").isEqualTo(3);
    assertThat(TestSupport.heldLocks()).as("and all released").isZero();
  }

  @Test
  void wideLocalsHandlersAndExitsInsideAMonitorKeepTheStackRight() throws Exception {
    Rewritten shapes =
        Rewritten.by(StateLocalShapes.class, LockSiteClassVisitor.REWRITER).verified();
    Object instance = shapes.newInstance();

    assertThat(shapes.call(instance, "wideLocalsAndExits", 1L, 2.0, false)).isEqualTo(4L);
    assertThat(shapes.call(instance, "wideLocalsAndExits", 99L, 2.0, false))
        .as("returned from inside the monitor").isEqualTo(101L);
    assertThat(shapes.call(instance, "wideLocalsAndExits", 1L, 2.0, true))
        .as("the handler ran holding the monitor").isEqualTo(0L);
    assertThat(TestSupport.heldLocks()).isZero();
  }

  @Test
  void aLambdaBodyHasAStateLocalOfItsOwn() throws Exception {
    Rewritten shapes =
        Rewritten.by(StateLocalShapes.class, LockSiteClassVisitor.REWRITER).verified();
    MethodNode body = node(shapes).methods.stream()
        .filter(m -> m.name.startsWith("lambda$lambda$")).findFirst().orElseThrow();
    assertThat(shapes.trace(body.name)).startsWith(STATE_ENTER + " @ StateLocalShapes.inner");

    IntSupplier supplier = (IntSupplier) shapes.call(shapes.newInstance(), "lambda");
    assertThat(supplier.getAsInt()).isEqualTo(1);
    assertThat(TestSupport.heldLocks()).isZero();
  }

  @Test
  void aMonitorTakenBeforeSuperInAConstructorKeepsUninitializedThisInItsFrames()
      throws Exception {
    Rewritten built = Rewritten.of(Built.classFile(),
        StateLocalTests.class.getClassLoader(), LockSiteClassVisitor.REWRITER).verified();

    assertThat(built.trace("<init>")).containsExactly(
        STATE_ENTER + " @ StateLocalBuilt.MONITOR", "monitorenter",
        STATE_EXIT, "monitorexit", "Object.<init>", "return");
    for (boolean branch : new boolean[] {true, false}) {
      built.load().getDeclaredConstructor(boolean.class).newInstance(branch); // verified, runs
      assertThat(TestSupport.heldLocks()).isZero();
    }
  }

  @Test
  void aMethodTooLargeForTheJitKeepsThePlainHooks() throws Exception {
    Rewritten built = Rewritten.of(Built.classFile(),
        StateLocalTests.class.getClassLoader(), LockSiteClassVisitor.REWRITER).verified();

    assertThat(built.trace("huge")).containsExactly(
        "Hooks.monitorEnter(Ljava/lang/Object;I)V @ StateLocalBuilt.MONITOR", "monitorenter",
        "TestSupport.holdCount",
        "Hooks.monitorExit(Ljava/lang/Object;)V", "monitorexit", "return");
    assertThat(built.call(null, "huge")).isEqualTo(1);
  }

  @Test
  void aClassInitializerKeepsThePlainHooks() throws Exception {
    Rewritten shapes =
        Rewritten.by(StateLocalShapes.class, LockSiteClassVisitor.REWRITER).verified();

    assertThat(shapes.trace("<clinit>")).startsWith(
        "Hooks.monitorEnter(Ljava/lang/Object;I)V @ StateLocalShapes.class", "monitorenter",
        "TestSupport.holdCount", "Hooks.monitorExit(Ljava/lang/Object;)V", "monitorexit");
    var initialized = shapes.load().getDeclaredField("initialized");
    initialized.setAccessible(true);
    assertThat(initialized.getInt(null)).as("the initializer ran holding the class").isEqualTo(1);
  }

  private static ClassNode node(Rewritten rewritten) {
    ClassNode node = new ClassNode();
    new ClassReader(rewritten.bytes()).accept(node, 0);
    return node;
  }

  private static MethodNode method(Rewritten rewritten, String name) {
    return node(rewritten).methods.stream().filter(m -> m.name.equals(name)).findFirst()
        .orElseThrow();
  }

  private static int maxLocals(Class<?> type, String name) throws Exception {
    ClassNode node = new ClassNode();
    try (var in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
      new ClassReader(in.readAllBytes()).accept(node, 0);
    }
    return node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow()
        .maxLocals;
  }

  /**
   * A class written with ASM in shapes javac does not write.
   *
   * <pre>
   * class StateLocalBuilt {
   *   static final Object MONITOR = new Object();
   *   StateLocalBuilt(boolean branch) {  // the monitor taken before super(), across a branch
   *     synchronized (MONITOR) { if (branch) {} }  super();
   *   }
   *   static int huge() {                // more than StateLocal.MAX_CODE_LENGTH bytes of code
   *     synchronized (MONITOR) { nop; ...; return holdCount(MONITOR); }
   *   }
   * }
   * </pre>
   */
  private static final class Built {
    static final String NAME = "dev/lockguard/agent/lockorder/StateLocalBuilt";
    private static final String OBJECT = "java/lang/Object";

    static byte[] classFile() {
      ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
      cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, NAME, null, OBJECT, null);
      cw.visitSource("StateLocalBuilt.java", null);
      cw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "MONITOR", "L" + OBJECT + ";", null,
          null).visitEnd();

      MethodVisitor clinit = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
      clinit.visitCode();
      clinit.visitTypeInsn(Opcodes.NEW, OBJECT);
      clinit.visitInsn(Opcodes.DUP);
      clinit.visitMethodInsn(Opcodes.INVOKESPECIAL, OBJECT, "<init>", "()V", false);
      clinit.visitFieldInsn(Opcodes.PUTSTATIC, NAME, "MONITOR", "L" + OBJECT + ";");
      clinit.visitInsn(Opcodes.RETURN);
      clinit.visitMaxs(0, 0);
      clinit.visitEnd();

      MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(Z)V", null, null);
      init.visitCode();
      Label line = new Label();
      init.visitLabel(line);
      init.visitLineNumber(5, line);
      init.visitFieldInsn(Opcodes.GETSTATIC, NAME, "MONITOR", "L" + OBJECT + ";");
      init.visitInsn(Opcodes.DUP);
      init.visitVarInsn(Opcodes.ASTORE, 2);
      init.visitInsn(Opcodes.MONITORENTER);
      Label joined = new Label();
      init.visitVarInsn(Opcodes.ILOAD, 1);
      init.visitJumpInsn(Opcodes.IFEQ, joined); // a frame with uninitializedThis at the join
      init.visitInsn(Opcodes.NOP);
      init.visitLabel(joined);
      init.visitVarInsn(Opcodes.ALOAD, 2);
      init.visitInsn(Opcodes.MONITOREXIT);
      init.visitVarInsn(Opcodes.ALOAD, 0);
      init.visitMethodInsn(Opcodes.INVOKESPECIAL, OBJECT, "<init>", "()V", false);
      init.visitInsn(Opcodes.RETURN);
      init.visitMaxs(0, 0);
      init.visitEnd();

      MethodVisitor huge = cw.visitMethod(Opcodes.ACC_STATIC, "huge", "()I", null, null);
      huge.visitCode();
      Label hugeLine = new Label();
      huge.visitLabel(hugeLine);
      huge.visitLineNumber(9, hugeLine);
      huge.visitFieldInsn(Opcodes.GETSTATIC, NAME, "MONITOR", "L" + OBJECT + ";");
      huge.visitInsn(Opcodes.DUP);
      huge.visitVarInsn(Opcodes.ASTORE, 0);
      huge.visitInsn(Opcodes.MONITORENTER);
      for (int i = 0; i <= StateLocal.MAX_CODE_LENGTH; i++) {
        huge.visitInsn(Opcodes.NOP);
      }
      huge.visitFieldInsn(Opcodes.GETSTATIC, NAME, "MONITOR", "L" + OBJECT + ";");
      huge.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/lockguard/internal/TestSupport",
          "holdCount", "(L" + OBJECT + ";)I", false);
      huge.visitVarInsn(Opcodes.ALOAD, 0);
      huge.visitInsn(Opcodes.MONITOREXIT);
      huge.visitInsn(Opcodes.IRETURN);
      huge.visitMaxs(0, 0);
      huge.visitEnd();

      cw.visitEnd();
      return cw.toByteArray();
    }
  }
}
