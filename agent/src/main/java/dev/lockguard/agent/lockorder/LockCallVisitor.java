package dev.lockguard.agent.lockorder;

import static dev.lockguard.agent.lockorder.LockTypes.CONDITION;
import static dev.lockguard.agent.lockorder.LockTypes.HOOKS;
import static dev.lockguard.agent.lockorder.LockTypes.LOCK;

import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.SiteVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Replaces a method's calls of {@code Lock.lock/lockInterruptibly/tryLock/unlock/newCondition} and
 * {@code Condition.await*} by the static hook of the same name, which takes the receiver, the
 * arguments and the site id, and makes the call itself.
 */
final class LockCallVisitor extends SiteVisitor {
  private static final String LOCK_DESC = "L" + LOCK + ";";
  private static final String CONDITION_DESC = "L" + CONDITION + ";";

  private final LockTypes types;

  LockCallVisitor(MethodVisitor next, MethodSites sites, LockTypes types) {
    super(next, sites);
    this.types = types;
  }

  @Override
  public void visitMethodInsn(
      int opcode, String owner, String name, String descriptor, boolean isInterface) {
    String receiver = opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE
        ? receiverDescriptor(owner, name + descriptor) : null;
    if (receiver == null) {
      super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
      return;
    }
    // receiver.name(args)  ->  Hooks.name(receiver, args, site)
    replaceCall(HOOKS, name, receiver, descriptor);
  }

  /** The hook's receiver type for a call to replace, or null to leave the call alone. */
  private String receiverDescriptor(String owner, String nameAndDescriptor) {
    if (owner.equals(CONDITION)) {
      return switch (nameAndDescriptor) {
        case "await()V", "await(JLjava/util/concurrent/TimeUnit;)Z", "awaitNanos(J)J",
            "awaitUninterruptibly()V", "awaitUntil(Ljava/util/Date;)Z" -> CONDITION_DESC;
        default -> null;
      };
    }
    return switch (nameAndDescriptor) {
      case "lock()V", "lockInterruptibly()V", "tryLock()Z",
          "tryLock(JLjava/util/concurrent/TimeUnit;)Z", "unlock()V",
          "newCondition()Ljava/util/concurrent/locks/Condition;" ->
          types.isLockType(owner) ? LOCK_DESC : null;
      default -> null;
    };
  }
}
