package dev.lockguard.agent;

import dev.lockguard.agent.classinit.ClassInitClassVisitor;
import dev.lockguard.agent.core.ClassRewriter;
import dev.lockguard.agent.latch.LatchClassVisitor;
import dev.lockguard.agent.latch.LatchTypes;
import dev.lockguard.agent.lockorder.LockSiteClassVisitor;
import dev.lockguard.agent.queue.QueueCheckClassVisitor;
import java.util.ArrayList;
import java.util.List;

/** The detectors' rewriters in the order they see each class: the agent's, and its tests'. */
public final class Rewriters {
  private Rewriters() {}

  /**
   * The queue check, the lock-order rewriter, the latch rewriter and, with {@code classInit}, the
   * class-initialization rewriter, in that order.
   */
  public static List<ClassRewriter> of(LatchTypes latchTypes, boolean classInit) {
    // The queue check analyses each method's data flow, so it reads the class before any
    // rewriting; the other rewriters then see its hooks as plain static calls.
    List<ClassRewriter> rewriters = new ArrayList<>(List.of(QueueCheckClassVisitor.REWRITER,
        LockSiteClassVisitor.REWRITER, LatchClassVisitor.rewriter(latchTypes)));
    if (classInit) {
      // Last: it names the monitors the others saw, and a class that comes to it alone has no
      // lock the lock-order rewriter would rewrite.
      rewriters.add(ClassInitClassVisitor.AFTER_LOCK_ORDER);
    }
    return rewriters;
  }
}
