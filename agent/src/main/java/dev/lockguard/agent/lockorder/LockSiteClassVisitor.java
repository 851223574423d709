package dev.lockguard.agent.lockorder;

import dev.lockguard.agent.core.ClassRewriter;
import dev.lockguard.agent.core.LockTransformer;
import dev.lockguard.agent.core.Target;
import dev.lockguard.agent.core.SiteClassVisitor;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites one class's lock sites: {@code synchronized} blocks and methods, {@code Lock} calls,
 * {@code Condition.await*} and {@code Object.wait*}. See {@link LockSiteMethodVisitor}.
 */
public final class LockSiteClassVisitor extends SiteClassVisitor {
  /** Plugs this visitor into {@link LockTransformer}. */
  public static final ClassRewriter REWRITER = LockSiteClassVisitor::new;

  private static final String LOCK = "java/util/concurrent/locks/Lock";

  private final Target target;

  /** See {@link Target#loadTime}. */
  public final boolean loadTime;

  LockSiteClassVisitor(ClassVisitor next, Target target) {
    super(next);
    this.target = target;
    this.loadTime = target.loadTime;
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
      String[] exceptions) {
    boolean explicitMonitor = loadTime && LockSiteMethodVisitor.canMakeMonitorExplicit(this, access);
    int written = explicitMonitor ? access & ~Opcodes.ACC_SYNCHRONIZED : access;
    MethodVisitor next = super.visitMethod(written, name, descriptor, signature, exceptions);
    if (next == null || !hasCode(access)) {
      return next;
    }
    return new LockSiteMethodVisitor(next, this, access, name, explicitMonitor);
  }

  /**
   * Whether calls on {@code owner} are calls on a {@code Lock}: the JDK's own lock types by name,
   * an application type by resolving its hierarchy (once per class being transformed).
   */
  public boolean isLockType(String owner) {
    switch (owner) {
      case LOCK:
      case "java/util/concurrent/locks/ReentrantLock":
      case "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock":
      case "java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock":
        return true;
      default:
        if (owner.startsWith("java/") || owner.startsWith("[")) {
          return false;
        }
        return target.hierarchy.isSubtypeOf(owner, java.util.concurrent.locks.Lock.class);
    }
  }

  /** A site was rewritten: the class must be written back. */
  public void siteRewritten() {
    target.changed();
  }
}
