package dev.lockguard.agent.lockorder;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A class file written with ASM in the shapes other compilers give lock code, for
 * {@link LockSiteRewriterTests}: no Kotlin or Scala compiler is at hand offline, so the
 * instructions are written out as those compilers write them (exception handlers left out). Each
 * method returns what the runtime saw from inside its lock.
 *
 * <pre>
 * class OtherCompilersShapes {
 *   val monitor = Any(); val lock = ReentrantLock()
 *   fun kotlinSynchronized() = synchronized(monitor) { holdCount(monitor) }  // kotlinc: local first
 *   fun kotlinWithLock() = lock.withLock { holdCount(lock) }                  // kotlinc: inlined
 *   def scalaSynchronized() = monitor.synchronized { holdCount(monitor) }     // scalac: accessor
 * }
 * </pre>
 */
final class OtherCompilers {
  static final String NAME = "dev/lockguard/agent/lockorder/OtherCompilersShapes";
  private static final String OBJECT = "java/lang/Object";
  private static final String LOCK = "java/util/concurrent/locks/Lock";
  private static final String REENTRANT_LOCK = "java/util/concurrent/locks/ReentrantLock";
  private static final String TEST_SUPPORT = "dev/lockguard/internal/TestSupport";

  private OtherCompilers() {}

  static byte[] classFile() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, NAME, null, OBJECT, null);
    cw.visitSource("OtherCompilersShapes.kt", null);
    cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "monitor", "L" + OBJECT + ";", null,
        null).visitEnd();
    cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "lock", "L" + REENTRANT_LOCK + ";",
        null, null).visitEnd();
    constructor(cw);
    kotlinSynchronized(cw);
    kotlinWithLock(cw);
    scalaAccessor(cw);
    scalaSynchronized(cw);
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static void constructor(ClassWriter cw) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, OBJECT, "<init>", "()V", false);
    newInto(mv, "monitor", OBJECT);
    newInto(mv, "lock", REENTRANT_LOCK);
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  private static void newInto(MethodVisitor mv, String field, String type) {
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitTypeInsn(Opcodes.NEW, type);
    mv.visitInsn(Opcodes.DUP);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, type, "<init>", "()V", false);
    mv.visitFieldInsn(Opcodes.PUTFIELD, NAME, field, "L" + type + ";");
  }

  /**
   * kotlinc's inlined {@code synchronized}: the monitor goes to a local, the inline function's
   * marker local ({@code $i$f$synchronized}) is set, and the monitor is loaded back on a line of
   * the inlined function's own.
   */
  private static void kotlinSynchronized(ClassWriter cw) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL,
        "kotlinSynchronized", "()I", null, null);
    mv.visitCode();
    line(mv, 10);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitFieldInsn(Opcodes.GETFIELD, NAME, "monitor", "L" + OBJECT + ";");
    mv.visitVarInsn(Opcodes.ASTORE, 1);
    mv.visitInsn(Opcodes.ICONST_0);
    mv.visitVarInsn(Opcodes.ISTORE, 2);
    line(mv, 1001); // the inlined body's line, past the end of the file (kotlinc's SMAP)
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitInsn(Opcodes.MONITORENTER);
    holdCount(mv, "monitor", OBJECT, 3);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitInsn(Opcodes.MONITOREXIT);
    mv.visitVarInsn(Opcodes.ILOAD, 3);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /** kotlinc's inlined {@code withLock}: the receiver to a local, the marker, then lock(). */
  private static void kotlinWithLock(ClassWriter cw) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL,
        "kotlinWithLock", "()I", null, null);
    mv.visitCode();
    line(mv, 20);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitFieldInsn(Opcodes.GETFIELD, NAME, "lock", "L" + REENTRANT_LOCK + ";");
    mv.visitTypeInsn(Opcodes.CHECKCAST, LOCK);
    mv.visitVarInsn(Opcodes.ASTORE, 1);
    mv.visitInsn(Opcodes.ICONST_0);
    mv.visitVarInsn(Opcodes.ISTORE, 2);
    line(mv, 1002);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, LOCK, "lock", "()V", true);
    holdCount(mv, "lock", REENTRANT_LOCK, 3);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, LOCK, "unlock", "()V", true);
    mv.visitVarInsn(Opcodes.ILOAD, 3);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /** scalac reads a field through its accessor, even inside the class. */
  private static void scalaAccessor(ClassWriter cw) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "monitor", "()L" + OBJECT + ";",
        null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitFieldInsn(Opcodes.GETFIELD, NAME, "monitor", "L" + OBJECT + ";");
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /** scalac's {@code synchronized}: javac's dup and store, on the accessor's result. */
  private static void scalaSynchronized(ClassWriter cw) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "scalaSynchronized", "()I", null,
        null);
    mv.visitCode();
    line(mv, 30);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, NAME, "monitor", "()L" + OBJECT + ";", false);
    mv.visitInsn(Opcodes.DUP);
    mv.visitVarInsn(Opcodes.ASTORE, 1);
    mv.visitInsn(Opcodes.MONITORENTER);
    holdCount(mv, "monitor", OBJECT, 2);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitInsn(Opcodes.MONITOREXIT);
    mv.visitVarInsn(Opcodes.ILOAD, 2);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /** {@code local = TestSupport.holdCount(this.field)} */
  private static void holdCount(MethodVisitor mv, String field, String type, int local) {
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitFieldInsn(Opcodes.GETFIELD, NAME, field, "L" + type + ";");
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, TEST_SUPPORT, "holdCount",
        "(L" + OBJECT + ";)I", false);
    mv.visitVarInsn(Opcodes.ISTORE, local);
  }

  private static void line(MethodVisitor mv, int line) {
    Label label = new Label();
    mv.visitLabel(label);
    mv.visitLineNumber(line, label);
  }
}
