package dev.lockguard.agent.lockorder;

import static dev.lockguard.agent.lockorder.LockTypes.HOOKS;
import static dev.lockguard.agent.lockorder.LockTypes.OBJECT;

import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.SiteVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Replaces a method's calls of {@code Object.wait()}, {@code wait(long)} and
 * {@code wait(long, int)} by {@code Hooks.objectWait}, which takes the receiver, the arguments and
 * the site id, and waits itself: a wait releases the monitor, and the graph must know.
 */
final class WaitVisitor extends SiteVisitor {
  WaitVisitor(MethodVisitor next, MethodSites sites) {
    super(next, sites);
  }

  @Override
  public void visitMethodInsn(
      int opcode, String owner, String name, String descriptor, boolean isInterface) {
    if (!isWait(opcode, name, descriptor)) {
      super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
      return;
    }
    // receiver.wait(args)  ->  Hooks.objectWait(receiver, args, site)
    replaceCall(HOOKS, "objectWait", OBJECT, descriptor);
  }

  /** {@code wait} is final in {@code Object}: any owner's call of it is {@code Object.wait}. */
  private static boolean isWait(int opcode, String name, String descriptor) {
    return opcode == Opcodes.INVOKEVIRTUAL && name.equals("wait")
        && (descriptor.equals("()V") || descriptor.equals("(J)V") || descriptor.equals("(JI)V"));
  }
}
