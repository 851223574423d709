package dev.lockguard.agent.classinit;

import dev.lockguard.agent.core.Bytecode;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Puts the class-initialization hooks around a {@code <clinit>}: {@code enter(id)} first, {@code
 * exit(id)} before each return, and a catch-all handler, the method's last, that calls {@code
 * exit(id)} and rethrows. The Java it stands for:
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
  private final Label bodyStart = new Label();

  ClinitHooks(MethodVisitor next, int id, int version) {
    super(Opcodes.ASM9, next);
    this.id = id;
    this.version = version;
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
    }
    super.visitInsn(opcode);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    Bytecode.catchAll(mv, bodyStart, version); // Stack[1]: Throwable
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
