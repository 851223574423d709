package dev.lockguard.agent.latch;

import static dev.lockguard.agent.latch.LatchTypes.HOOKS;
import static dev.lockguard.agent.latch.LatchTypes.OBJECT;

import dev.lockguard.agent.core.Bytecode;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Makes a set, clear or await method of a class named by {@code latches=} report itself, as
 * {@code dev.lockguard.Event} does.
 *
 * <ul>
 *   <li>set: {@code LatchHooks.eventSet(this)} before each return;
 *   <li>clear: {@code LatchHooks.eventCleared(this)} before each return;
 *   <li>await: {@code LatchHooks.eventAwaitEnter(this)} on entry, and {@code eventAwaitExit}
 *       before each return (with the result, for a method returning {@code boolean}, so that a
 *       timed wait returning false counts as a give-up) and in a catch-all handler that rethrows.
 * </ul>
 */
final class LatchRoleVisitor extends MethodVisitor {
  private final LatchOption.Role role;
  private final boolean returnsBoolean;
  private final String internalName;
  private final int version;
  private final Label bodyStart = new Label();

  /**
   * @param internalName the class's internal name
   * @param version the class-file version
   */
  LatchRoleVisitor(MethodVisitor next, LatchOption.Role role, String descriptor,
      String internalName, int version) {
    super(Opcodes.ASM9, next);
    this.role = role;
    this.returnsBoolean = Type.getReturnType(descriptor).getSort() == Type.BOOLEAN;
    this.internalName = internalName;
    this.version = version;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    if (role == LatchOption.Role.AWAIT) {
      // LatchHooks.eventAwaitEnter(this);
      super.visitVarInsn(Opcodes.ALOAD, 0);                    // Stack[1]: this
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "eventAwaitEnter",
          "(" + OBJECT + ")V", false);                         // Stack[0]
      super.visitLabel(bodyStart);
    }
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
      beforeReturn(opcode);
    }
    super.visitInsn(opcode);
  }

  private void beforeReturn(int opcode) {
    switch (role) {
      case SET -> callWithThis("eventSet");
      case CLEAR -> callWithThis("eventCleared");
      case AWAIT -> {
        if (returnsBoolean && opcode == Opcodes.IRETURN) {
          // LatchHooks.eventAwaitExit(result, this);
          super.visitInsn(Opcodes.DUP);                        // Stack[2]: Z, Z
          super.visitVarInsn(Opcodes.ALOAD, 0);                // Stack[3]: Z, Z, this
          super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "eventAwaitExit",
              "(Z" + OBJECT + ")V", false);                    // Stack[1]: Z
        } else {
          awaitExit(true);
        }
      }
    }
  }

  private void callWithThis(String hook) {
    super.visitVarInsn(Opcodes.ALOAD, 0);                      // Stack[+1]: this
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, "(" + OBJECT + ")V", false);
  }

  /** {@code LatchHooks.eventAwaitExit(this, completed)}. */
  private void awaitExit(boolean completed) {
    super.visitVarInsn(Opcodes.ALOAD, 0);                      // Stack[+1]: this
    super.visitInsn(completed ? Opcodes.ICONST_1 : Opcodes.ICONST_0); // Stack[+2]: this, Z
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "eventAwaitExit",
        "(" + OBJECT + "Z)V", false);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (role == LatchOption.Role.AWAIT) {
      // } catch (Throwable t) { LatchHooks.eventAwaitExit(this, false); throw t; }
      Bytecode.catchAll(mv, bodyStart, version, internalName);
      awaitExit(false);                                        // Stack[1]: Throwable
      super.visitInsn(Opcodes.ATHROW);
    }
    super.visitMaxs(maxStack, maxLocals);
  }
}
