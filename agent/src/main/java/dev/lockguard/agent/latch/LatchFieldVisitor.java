package dev.lockguard.agent.latch;

import static dev.lockguard.agent.latch.LatchTypes.HOOKS;
import static dev.lockguard.agent.latch.LatchTypes.OBJECT;

import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.ReceiverNames;
import dev.lockguard.agent.core.SiteVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a method's stores into fields of a latch type: a {@code putfield}/{@code putstatic}
 * first calls {@code LatchHooks.fieldStore(new, old, site)}; in a constructor, where the object
 * may not be initialized yet and its fields cannot be read, {@code fieldInit(new, site)}. The site
 * is named after the field.
 */
final class LatchFieldVisitor extends SiteVisitor {
  private final LatchTypes types;
  private final boolean constructor;

  LatchFieldVisitor(MethodVisitor next, MethodSites sites, LatchTypes types, String methodName) {
    super(next, sites);
    this.types = types;
    this.constructor = methodName.equals("<init>");
  }

  @Override
  public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
    boolean store = opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC;
    if (store && types.isLatchDescriptor(descriptor)) {
      int site = sites.register(ReceiverNames.field(owner, name));
      if (opcode == Opcodes.PUTSTATIC) {
        storeStatic(owner, name, descriptor, site);
      } else if (constructor) {
        initField(site);
      } else {
        storeField(owner, name, descriptor, site);
      }
    }
    super.visitFieldInsn(opcode, owner, name, descriptor);
  }

  /** {@code LatchHooks.fieldStore(value, Owner.field, site)} before {@code putstatic}. */
  private void storeStatic(String owner, String name, String descriptor, int site) {
    super.visitInsn(Opcodes.DUP);                              // Stack[2]: value, value
    super.visitFieldInsn(Opcodes.GETSTATIC, owner, name, descriptor); // value, value, old
    push(site);                                                // Stack[4]: value, value, old, I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "fieldStore",
        "(" + OBJECT + OBJECT + "I)V", false);                 // Stack[1]: value
  }

  /** {@code LatchHooks.fieldStore(value, object.field, site)} before {@code putfield}. */
  private void storeField(String owner, String name, String descriptor, int site) {
    super.visitInsn(Opcodes.DUP2);                             // Stack[4]: obj, value, obj, value
    super.visitInsn(Opcodes.SWAP);                             // Stack[4]: obj, value, value, obj
    super.visitFieldInsn(Opcodes.GETFIELD, owner, name, descriptor); // obj, value, value, old
    push(site);                                                // Stack[5]: ..., value, old, I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "fieldStore",
        "(" + OBJECT + OBJECT + "I)V", false);                 // Stack[2]: obj, value
  }

  /** {@code LatchHooks.fieldInit(value, site)} before a constructor's {@code putfield}. */
  private void initField(int site) {
    super.visitInsn(Opcodes.DUP);                              // Stack[3]: obj, value, value
    push(site);                                                // Stack[4]: obj, value, value, I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "fieldInit",
        "(" + OBJECT + "I)V", false);                          // Stack[2]: obj, value
  }
}
