package dev.lockguard.agent.latch;

import static dev.lockguard.agent.latch.LatchTypes.HOOKS;

import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.SiteVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a method's latch calls so that they reach {@code LatchHooks}.
 *
 * <ul>
 *   <li>Calls of {@code CountDownLatch.await/countDown}, {@code CyclicBarrier.await/reset} and
 *       {@code Phaser.arrive*}/{@code awaitAdvance*} are replaced by the static hook of the same
 *       name, which takes the receiver, the arguments and the site id and makes the call itself.
 *   <li>Before a set, clear or await of an {@code Event} (or a {@code latches=} class) the site
 *       is announced with {@code LatchHooks.callSite(site)}; the event reports the call itself.
 * </ul>
 */
final class LatchCallVisitor extends SiteVisitor {
  private final LatchTypes types;

  LatchCallVisitor(MethodVisitor next, MethodSites sites, LatchTypes types) {
    super(next, sites);
    this.types = types;
  }

  @Override
  public void visitMethodInsn(
      int opcode, String owner, String name, String descriptor, boolean isInterface) {
    if (opcode == Opcodes.INVOKEVIRTUAL && hasHook(owner, name + descriptor)) {
      // receiver.name(args)  ->  LatchHooks.name(receiver, args, site)
      replaceCall(HOOKS, name, "L" + owner + ";", descriptor);
      return;
    }
    if (opcode == Opcodes.INVOKEVIRTUAL && types.isEventCall(owner, name)) {
      // LatchHooks.callSite(site); receiver.name(args);
      push(sites.registerCall(descriptor));                    // Stack[+1]: I
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "callSite", "(I)V", false);
    }
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
  }

  /** Whether a call on a JDK latch has a hook of the same name. */
  private static boolean hasHook(String owner, String nameAndDescriptor) {
    return switch (owner) {
      case LatchTypes.COUNT_DOWN_LATCH -> switch (nameAndDescriptor) {
        case "await()V", "await(JLjava/util/concurrent/TimeUnit;)Z", "countDown()V" -> true;
        default -> false;
      };
      case LatchTypes.CYCLIC_BARRIER -> switch (nameAndDescriptor) {
        case "await()I", "await(JLjava/util/concurrent/TimeUnit;)I", "reset()V" -> true;
        default -> false;
      };
      case LatchTypes.PHASER -> switch (nameAndDescriptor) {
        case "arrive()I", "arriveAndDeregister()I", "arriveAndAwaitAdvance()I",
            "awaitAdvance(I)I", "awaitAdvanceInterruptibly(I)I",
            "awaitAdvanceInterruptibly(IJLjava/util/concurrent/TimeUnit;)I" -> true;
        default -> false;
      };
      default -> false;
    };
  }
}
