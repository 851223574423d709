package dev.lockguard.agent.latch;

import dev.lockguard.agent.core.ClassRewriter;
import dev.lockguard.agent.core.LockTransformer;
import dev.lockguard.agent.core.Target;
import dev.lockguard.agent.core.SiteClassVisitor;

import java.util.LinkedHashSet;
import java.util.Set;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites one class's latch sites ({@link LatchSiteVisitor}) and, in a class named by {@code
 * latches=}, the bodies of its set, clear and await methods ({@link LatchRoleVisitor}).
 */
public final class LatchClassVisitor extends SiteClassVisitor {
  public final LatchTypes types;
  private final Target target;
  /** The {@code latches=} entry for this class, or null. */
  private LatchOption.Spec spec;
  private final Set<String> rolesFound = new LinkedHashSet<>();

  LatchClassVisitor(ClassVisitor next, Target target, LatchTypes types) {
    super(next);
    this.target = target;
    this.types = types;
  }

  /** Plugs this visitor into {@link LockTransformer}, after the lock sites. */
  public static ClassRewriter rewriter(LatchTypes types) {
    return (next, target) -> new LatchClassVisitor(next, target, types);
  }

  /** A site was rewritten: the class must be written back. */
  public void siteRewritten() {
    target.changed();
  }

  @Override
  public void visit(int version, int access, String name, String signature, String superName,
      String[] interfaces) {
    this.spec = types.userLatch(name);
    super.visit(version, access, name, signature, superName, interfaces);
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
      String[] exceptions) {
    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
    if (next == null || !hasCode(access)) {
      return next;
    }
    String role = spec == null || (access & Opcodes.ACC_STATIC) != 0 ? null : spec.roleOf(name);
    if (role != null) {
      rolesFound.add(name);
      next = new LatchRoleVisitor(next, this, role, descriptor);
    }
    return new LatchSiteVisitor(next, this, name);
  }

  /** Says which methods {@code latches=} names that the class does not have (a typo, usually). */
  @Override
  public void visitEnd() {
    if (spec != null) {
      for (Set<String> methods : java.util.List.of(spec.set(), spec.clear(), spec.await())) {
        for (String method : methods) {
          if (!rolesFound.contains(method)) {
            System.err.println("lockguard: latches= names " + className + "." + method
                + ", but " + className + " has no instance method " + method
                + " with a body; calls of it are not watched. Fix the method name in latches=.");
          }
        }
      }
    }
    super.visitEnd();
  }
}
