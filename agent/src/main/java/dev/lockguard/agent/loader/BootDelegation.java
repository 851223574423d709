package dev.lockguard.agent.loader;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a class loader's {@code loadClass(String)} and {@code loadClass(String, boolean)} so
 * that lockguard's hook packages always come from the boot loader, before the loader's own rules
 * run (OpenTelemetry's agent does the same for its bootstrap packages).
 *
 * <p>The code added at the start of each method names only {@code java.lang} classes, which every
 * loader must delegate, so it links whatever loader defined the loader class itself:
 * <pre>{@code
 * if (name != null && name.startsWith("dev.lockguard.internal.")) {
 *   return Class.forName(name, false, null);
 * }
 * }</pre>
 * A class that merely has such a method without being a loader gets the same two tests; they
 * answer only for lockguard's internal names, which no application asks for.
 */
final class BootDelegation extends ClassVisitor {
  /** The package prefix of every class that instrumented code calls. */
  static final String HOOK_PACKAGES = "dev.lockguard.internal.";
  private static final String NAME = "loadClass";
  private static final String LOAD = "(Ljava/lang/String;)Ljava/lang/Class;";
  private static final String LOAD_RESOLVE = "(Ljava/lang/String;Z)Ljava/lang/Class;";

  private String owner;
  private boolean withFrames;
  private boolean changed;

  BootDelegation(ClassVisitor next) {
    super(Opcodes.ASM9, next);
  }

  /** Whether a method of this shape can answer for a loader: named, typed and with a body. */
  static boolean isLoadClass(int access, String name, String descriptor) {
    return NAME.equals(name) && (LOAD.equals(descriptor) || LOAD_RESOLVE.equals(descriptor))
        && (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
  }

  /** Whether a method was rewritten. */
  boolean isChanged() {
    return changed;
  }

  @Override
  public void visit(int version, int access, String name, String signature, String superName,
      String[] interfaces) {
    owner = name;
    withFrames = (version & 0xFFFF) >= Opcodes.V1_6;
    super.visit(version, access, name, signature, superName, interfaces);
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
      String[] exceptions) {
    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
    if (next == null || !isLoadClass(access, name, descriptor)) {
      return next;
    }
    changed = true;
    boolean withResolve = LOAD_RESOLVE.equals(descriptor);
    return new MethodVisitor(Opcodes.ASM9, next) {
      @Override
      public void visitCode() {
        super.visitCode();
        askBootFirst(mv, withResolve);
      }
    };
  }

  private void askBootFirst(MethodVisitor mv, boolean withResolve) {
    Label own = new Label();
    mv.visitVarInsn(Opcodes.ALOAD, 1);                           // Stack[1]: name
    mv.visitJumpInsn(Opcodes.IFNULL, own);                       // if (name != null
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitLdcInsn(HOOK_PACKAGES);                              // Stack[2]: name, prefix
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "startsWith",
        "(Ljava/lang/String;)Z", false);                         // Stack[1]: Z
    mv.visitJumpInsn(Opcodes.IFEQ, own);                         //   && name.startsWith(prefix))
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitInsn(Opcodes.ICONST_0);
    mv.visitInsn(Opcodes.ACONST_NULL);                           // Stack[3]: name, false, null
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Class", "forName",
        "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;", false);
    mv.visitInsn(Opcodes.ARETURN);                               //   return Class.forName(...)
    mv.visitLabel(own);
    if (withFrames) {
      Object[] locals = withResolve
          ? new Object[] {owner, "java/lang/String", Opcodes.INTEGER}
          : new Object[] {owner, "java/lang/String"};
      mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
    }
    // The original code may start with a frame of its own (a loop back to its first
    // instruction); two frames at one offset are invalid, so one instruction separates them.
    mv.visitInsn(Opcodes.NOP);
  }
}
