package dev.lockguard.agent.classinit;

import dev.lockguard.agent.core.Bytecode;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Puts the class-initialization hooks around a {@code <clinit>}: {@code enter(id)} first, {@code
 * exit(id)} before each return, {@code lockInInitializer(lock, id)} before each {@code
 * monitorenter}, and a catch-all handler, the method's last, that calls {@code exit(id)} and
 * rethrows. The Java it stands for:
 *
 * <pre>{@code
 * static {
 *   ClassInitHooks.enter(id);
 *   try { ...the initializer...; ClassInitHooks.exit(id); }
 *   catch (Throwable t) { ClassInitHooks.exit(id); throw t; }
 * }
 * }</pre>
 */
final class ClinitHooks extends MethodVisitor {
  private static final String HOOKS = "dev/lockguard/internal/classinit/ClassInitHooks";

  private final int id;
  private final int version;
  /** Whether the method's frames are read expanded: the handler's frame takes the same form. */
  private final boolean expandedFrames;
  private final Label bodyStart = new Label();
  /**
   * {@code Owner.field} while the value on the stack is that field's, loaded just before (javac's
   * {@code getstatic; dup; astore}, then the lock-order rewriter's {@code dup; push site; call
   * its hook}), so that the lock a {@code synchronized} block takes is named after its field;
   * null otherwise.
   */
  private String lockField;

  ClinitHooks(MethodVisitor next, int id, int version, boolean expandedFrames) {
    super(Opcodes.ASM9, next);
    this.id = id;
    this.version = version;
    this.expandedFrames = expandedFrames;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    hook("enter"); // ClassInitHooks.enter(id);
    mv.visitLabel(bodyStart);
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode == Opcodes.RETURN) {
      hook("exit"); // ClassInitHooks.exit(id); return;
    } else if (opcode == Opcodes.MONITORENTER) {
      // Stack[1]: lock -> ClassInitHooks.lockInInitializer(lock, id, "Owner.field"); monitorenter
      mv.visitInsn(Opcodes.DUP);               // Stack[2]: lock, lock
      Bytecode.pushInt(mv, id);                // Stack[3]: lock, lock, I
      if (lockField != null) {
        mv.visitLdcInsn(lockField);            // Stack[4]: lock, lock, I, String
      } else {
        mv.visitInsn(Opcodes.ACONST_NULL);     // Stack[4]: lock, lock, I, null
      }
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "lockInInitializer",
          "(Ljava/lang/Object;ILjava/lang/String;)V", false); // Stack[1]: lock
    }
    if (opcode != Opcodes.DUP && (opcode < Opcodes.ICONST_M1 || opcode > Opcodes.ICONST_5)) {
      lockField = null;
    }
    super.visitInsn(opcode);
  }

  @Override
  public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
    lockField = opcode == Opcodes.GETSTATIC || opcode == Opcodes.GETFIELD
        ? Bytecode.simpleName(owner) + "." + name : null;
    super.visitFieldInsn(opcode, owner, name, descriptor);
  }

  @Override
  public void visitVarInsn(int opcode, int varIndex) {
    if (opcode != Opcodes.ASTORE) {
      lockField = null;
    }
    super.visitVarInsn(opcode, varIndex);
  }

  @Override
  public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
      boolean isInterface) {
    if (!owner.startsWith("dev/lockguard/internal/")) {
      lockField = null; // another rewriter's hook leaves the lock where it was
    }
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    if (opcode == Opcodes.NEWARRAY) {
      lockField = null;
    }
    super.visitIntInsn(opcode, operand);
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    lockField = null;
    super.visitTypeInsn(opcode, type);
  }

  @Override
  public void visitLdcInsn(Object value) {
    if (!(value instanceof Integer)) {
      lockField = null; // a site id is pushed as an int
    }
    super.visitLdcInsn(value);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    Bytecode.catchAllWithoutLocals(mv, bodyStart, version, expandedFrames); // Stack[1]: Throwable
    hook("exit");                              // Stack[1]: Throwable
    mv.visitInsn(Opcodes.ATHROW);              // throw t;
    super.visitMaxs(maxStack, maxLocals);
  }

  /** {@code ClassInitHooks.name(id)}: Stack[+0]. */
  private void hook(String name) {
    Bytecode.pushInt(mv, id);                  // Stack[+1]: I
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, name, "(I)V", false);
  }
}
