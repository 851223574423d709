package dev.lockguard.agent.latch;

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
  private static final String HOOKS = LatchTypes.HOOKS;
  private static final String OBJECT = LatchTypes.OBJECT;

  private final LatchClassVisitor owner;
  private final String role;
  private final boolean returnsBoolean;
  private final Label bodyStart = new Label();

  LatchRoleVisitor(MethodVisitor next, LatchClassVisitor owner, String role, String descriptor) {
    super(Opcodes.ASM9, next);
    this.owner = owner;
    this.role = role;
    this.returnsBoolean = Type.getReturnType(descriptor).getSort() == Type.BOOLEAN;
    owner.siteRewritten();
  }

  @Override
  public void visitCode() {
    super.visitCode();
    if (role.equals("await")) {
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
      case "set" -> callWithThis("eventSet");
      case "clear" -> callWithThis("eventCleared");
      default -> {
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
    if (role.equals("await")) {
      // } catch (Throwable t) { LatchHooks.eventAwaitExit(this, false); throw t; }
      Label bodyEnd = new Label();
      Label handler = new Label();
      super.visitLabel(bodyEnd);
      super.visitTryCatchBlock(bodyStart, bodyEnd, handler, null);
      super.visitLabel(handler);
      if (owner.version >= Opcodes.V1_6) {
        super.visitFrame(Opcodes.F_NEW, 1, new Object[] {owner.internalName}, 1,
            new Object[] {"java/lang/Throwable"});
      }
      awaitExit(false);                                        // Stack[1]: Throwable
      super.visitInsn(Opcodes.ATHROW);
    }
    super.visitMaxs(maxStack, maxLocals);
  }
}
