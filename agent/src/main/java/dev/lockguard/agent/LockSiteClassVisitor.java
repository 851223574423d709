package dev.lockguard.agent;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites one class's lock sites: {@code synchronized} blocks and methods, {@code Lock} calls,
 * {@code Condition.await*} and {@code Object.wait*}. See {@link LockSiteMethodVisitor}.
 */
final class LockSiteClassVisitor extends ClassVisitor {
  /** Plugs this visitor into {@link LockTransformer}. */
  static final ClassRewriter REWRITER = LockSiteClassVisitor::new;

  private static final String LOCK = "java/util/concurrent/locks/Lock";

  private final Target target;
  String internalName;
  String className;
  String sourceFile;
  int version;

  /** See {@link Target#loadTime}. */
  final boolean loadTime;

  LockSiteClassVisitor(ClassVisitor next, Target target) {
    super(Opcodes.ASM9, next);
    this.target = target;
    this.loadTime = target.loadTime;
  }

  @Override
  public void visit(int version, int access, String name, String signature, String superName,
      String[] interfaces) {
    this.version = version;
    this.internalName = name;
    this.className = name.replace('/', '.');
    super.visit(version, access, name, signature, superName, interfaces);
  }

  @Override
  public void visitSource(String source, String debug) {
    this.sourceFile = source;
    super.visitSource(source, debug);
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
      String[] exceptions) {
    boolean explicitMonitor = loadTime && LockSiteMethodVisitor.canMakeMonitorExplicit(this, access);
    int written = explicitMonitor ? access & ~Opcodes.ACC_SYNCHRONIZED : access;
    MethodVisitor next = super.visitMethod(written, name, descriptor, signature, exceptions);
    if (next == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
      return next;
    }
    return new LockSiteMethodVisitor(next, this, access, name, explicitMonitor);
  }

  /**
   * Whether calls on {@code owner} are calls on a {@code Lock}: the JDK's own lock types by name,
   * an application type by resolving its hierarchy (once per class being transformed).
   */
  boolean isLockType(String owner) {
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
  void siteRewritten() {
    target.changed();
  }
}
