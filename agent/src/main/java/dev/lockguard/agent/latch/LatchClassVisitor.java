package dev.lockguard.agent.latch;

import dev.lockguard.agent.core.ClassRewriter;
import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.SiteClassVisitor;
import dev.lockguard.agent.core.Target;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites one class's latch sites: each method gets {@link LatchCallVisitor} (latch calls) and
 * {@link LatchFieldVisitor} (latch fields stored) after {@link MethodSites}, which names each
 * latch after the field it was loaded from; in a class named by {@code latches=}, its set, clear
 * and await methods also get {@link LatchRoleVisitor}.
 */
public final class LatchClassVisitor extends SiteClassVisitor {
  private final LatchTypes types;
  /** The {@code latches=} entry for this class, or null. */
  private LatchOption.Spec spec;
  private final Set<String> rolesFound = new LinkedHashSet<>();

  private LatchClassVisitor(ClassVisitor next, Target target, LatchTypes types) {
    super(next, target);
    this.types = types;
  }

  /** Plugs this visitor into the agent's transformer, after the lock sites. */
  public static ClassRewriter rewriter(LatchTypes types) {
    return ClassRewriter.prescanned(
        (next, target) -> new LatchClassVisitor(next, target, types), types::mayConcern);
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
    MethodSites sites = methodSites(access, name, types::isLatchDescriptor);
    MethodVisitor chain = next;
    LatchOption.Role role = roleOf(access, name);
    if (role != null) {
      rolesFound.add(name);
      target.changed();
      chain = new LatchRoleVisitor(chain, role, descriptor, internalName, version);
    }
    chain = new LatchFieldVisitor(chain, sites, types, name);
    chain = new LatchCallVisitor(chain, sites, types);
    return sites.ahead(chain);
  }

  private LatchOption.Role roleOf(int access, String method) {
    return spec == null || (access & Opcodes.ACC_STATIC) != 0 ? null : spec.roleOf(method);
  }

  /** Says which methods {@code latches=} names that the class does not have (a typo, usually). */
  @Override
  public void visitEnd() {
    if (spec != null) {
      for (Set<String> methods : List.of(spec.set(), spec.clear(), spec.await())) {
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
