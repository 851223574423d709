package dev.lockguard.agent.lockorder;

import static dev.lockguard.agent.lockorder.LockTypes.HOOKS;
import static dev.lockguard.agent.lockorder.LockTypes.OBJECT;

import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.SiteVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a method's {@code synchronized} blocks: {@code MONITORENTER} gets a check before
 * (while the thread can still not block) and a push after; {@code MONITOREXIT} a pop before.
 */
final class MonitorVisitor extends SiteVisitor {
  /** The method's {@link StateLocal} slot, or -1 without one. */
  private final int state;

  MonitorVisitor(MethodVisitor next, MethodSites sites, int state) {
    super(next, sites);
    this.state = state;
  }

  @Override
  public void visitInsn(int opcode) {
    switch (opcode) {
      case Opcodes.MONITORENTER -> monitorEnter();
      case Opcodes.MONITOREXIT -> monitorExit();
      default -> super.visitInsn(opcode);
    }
  }

  /**
   * {@code state = Hooks.monitorEnter(lock, site, state); monitorenter lock;} The hook checks the
   * order and records the lock as held before the thread blocks: nothing may run between
   * {@code monitorenter} and the start of javac's exception range, or the JIT sees a call that
   * could throw while the monitor is held with no handler to release it, and refuses to compile
   * the method (it then runs interpreted, ten times slower).
   *
   * <p>The hook stays before {@code monitorenter} on purpose: there a thread records the edge it
   * is about to block on, so two threads that really deadlock at their first meeting still give
   * the lock-order cycle that the watchdog's DEADLOCK confirms. After {@code monitorenter} it
   * would not let C2 coarsen a hot loop of one monitor either, with the default flags (the
   * hooks' stores keep C2 from unrolling it): docs/performance.md, "the push after
   * {@code monitorenter}, tried and not kept".
   */
  private void monitorEnter() {
    int site = sites.registerMonitor();
    super.visitInsn(Opcodes.DUP);                              // Stack[2]: lock, lock
    push(site);                                                // Stack[3]: lock, lock, I
    if (state >= 0) {
      StateLocal.call(mv, state, "monitorEnter", OBJECT + "I", true); // Stack[1]: lock
    } else {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter",
          "(" + OBJECT + "I)V", false);                        // Stack[1]: lock
    }
    super.visitInsn(Opcodes.MONITORENTER);                     // Stack[0]
    // A thread blocked in monitorenter is shown at the next instruction, which the JIT compiles
    // to nothing; without it thread dumps (and DEADLOCK reports) would point one line too far.
    super.visitInsn(Opcodes.NOP);
  }

  /** {@code Hooks.monitorExit(lock, state); monitorexit lock;} */
  private void monitorExit() {
    super.visitInsn(Opcodes.DUP);                              // Stack[2]: lock, lock
    if (state >= 0) {
      StateLocal.call(mv, state, "monitorExit", OBJECT, false); // Stack[1]: lock
    } else {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit",
          "(" + OBJECT + ")V", false);                         // Stack[1]: lock
    }
    super.visitInsn(Opcodes.MONITOREXIT);                      // Stack[0]
    sites.changed();
  }
}
