package dev.lockguard.agent.lockorder;

import static dev.lockguard.agent.lockorder.LockTypes.CONDITION_DESC;
import static dev.lockguard.agent.lockorder.LockTypes.HOOKS;
import static dev.lockguard.agent.lockorder.LockTypes.LOCK_DESC;

import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.SiteVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Replaces a method's calls of {@code Lock.lock/lockInterruptibly/tryLock/unlock/newCondition} and
 * {@code Condition.await*} by the static hook of the same name, which takes the receiver, the
 * arguments and the site id, and makes the call itself; puts hooks around a lock subclass's
 * {@code super.lock()} and kin, which only the subclass can make.
 */
final class LockCallVisitor extends SiteVisitor {

  private final LockTypes types;
  /** The method's {@link StateLocal} slot, or -1 without one. */
  private final int state;

  LockCallVisitor(MethodVisitor next, MethodSites sites, LockTypes types, int state) {
    super(next, sites);
    this.types = types;
    this.state = state;
  }

  @Override
  public void visitMethodInsn(
      int opcode, String owner, String name, String descriptor, boolean isInterface) {
    if (opcode == Opcodes.INVOKESPECIAL && LOCK_DESC.equals(types.hookReceiver(owner, name + descriptor))
        && superCall(owner, name, descriptor, isInterface)) {
      return;
    }
    String receiver = opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE
        ? types.hookReceiver(owner, name + descriptor) : null;
    if (receiver == null) {
      super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
      return;
    }
    if (state >= 0 && LOCK_DESC.equals(receiver) && descriptor.equals("()V")
        && (name.equals("lock") || name.equals("unlock"))) {
      // lock.lock()  ->  state = Hooks.lock(lock, site, state); unlock likewise, keeping state
      push(sites.registerCall(descriptor));                    // Stack[2]: lock, I
      StateLocal.call(mv, state, name, LOCK_DESC + "I", name.equals("lock")); // Stack[0]
      return;
    }
    // receiver.name(args)  ->  Hooks.name(receiver, args, site)
    replaceCall(HOOKS, name, receiver, descriptor);
  }

  /**
   * {@code super.lock()} and its kin in a subclass of a lock: a static hook cannot make the super
   * call, so the hooks go around it. Not {@code super.tryLock(time, unit)}, whose receiver lies
   * under its arguments where no stack instruction reaches it; calls of it through the subclass
   * are still checked where they are made.
   *
   * @return false if the call was left alone
   */
  private boolean superCall(String owner, String name, String descriptor, boolean isInterface) {
    String hook = "(" + LOCK_DESC + "I)V";
    switch (name + descriptor) {
      case "lock()V", "lockInterruptibly()V" -> {
        int site = sites.registerCall(descriptor);
        super.visitInsn(Opcodes.DUP);                          // Stack[2]: lock, lock
        super.visitInsn(Opcodes.DUP);                          // Stack[3]: lock, lock, lock
        push(site);                                            // Stack[4]: ..., I
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "beforeSuperLock", hook, false);
        super.visitMethodInsn(Opcodes.INVOKESPECIAL, owner, name, descriptor, isInterface);
        push(site);                                            // Stack[2]: lock, I
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "afterSuperLock", hook, false);
      }
      case "tryLock()Z" -> {
        int site = sites.registerCall(descriptor);
        super.visitInsn(Opcodes.DUP);                          // Stack[2]: lock, lock
        super.visitMethodInsn(Opcodes.INVOKESPECIAL, owner, name, descriptor, isInterface);
        push(site);                                            // Stack[3]: lock, Z, I
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "superTryLocked",
            "(" + LOCK_DESC + "ZI)Z", false);                  // Stack[1]: Z
      }
      case "unlock()V" -> {
        sites.changed();
        super.visitInsn(Opcodes.DUP);                          // Stack[2]: lock, lock
        super.visitMethodInsn(Opcodes.INVOKESPECIAL, owner, name, descriptor, isInterface);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "afterSuperUnlock",
            "(" + LOCK_DESC + ")V", false);                    // Stack[0]
      }
      case "newCondition()Ljava/util/concurrent/locks/Condition;" -> {
        int site = sites.registerCall(descriptor);
        super.visitInsn(Opcodes.DUP);                          // Stack[2]: lock, lock
        super.visitMethodInsn(Opcodes.INVOKESPECIAL, owner, name, descriptor, isInterface);
        push(site);                                            // Stack[3]: lock, Condition, I
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "superNewCondition",
            "(" + LOCK_DESC + CONDITION_DESC + "I)" + CONDITION_DESC, false); // Stack[1]: Condition
      }
      default -> {
        return false;
      }
    }
    return true;
  }
}
