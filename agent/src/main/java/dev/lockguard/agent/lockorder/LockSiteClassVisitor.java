package dev.lockguard.agent.lockorder;

import dev.lockguard.agent.core.ClassRewriter;
import dev.lockguard.agent.core.ClassScan;
import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.SiteClassVisitor;
import dev.lockguard.agent.core.Target;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites one class's lock sites so that they call {@code dev.lockguard.internal.lockorder.Hooks}:
 * each method gets a chain of small visitors with one job each, {@link LockCallVisitor} (Lock and
 * Condition calls), {@link WaitVisitor} ({@code Object.wait}), {@link MonitorVisitor}
 * ({@code synchronized} blocks), {@link MethodRefVisitor} (method references to lock methods) and,
 * for a {@code synchronized} method, {@link SynchronizedMethodVisitor}, all after
 * {@link MethodSites}, which names each lock after where the code got it, and before
 * {@link StateLocal}, the local that keeps the thread's state for the hooks.
 *
 * <p>Only the methods that may hold a site ({@link ClassScan#methodsWithSites}) get the chain;
 * the others go to the next visitor as they are, so that the writer copies them byte for byte
 * (with their own frames) when no other rewriter wraps them.
 */
public final class LockSiteClassVisitor extends SiteClassVisitor {
  /** The names of every method whose calls (or method references) this rewriter rewrites. */
  private static final Set<String> CALLS = Set.of("lock", "lockInterruptibly", "tryLock",
      "unlock", "newCondition", "await", "awaitNanos", "awaitUninterruptibly", "awaitUntil",
      "wait");
  /** {@link #CALLS} as bytes, for the look before parsing. */
  private static final ClassScan.Names CALL_NAMES = ClassScan.Names.of(CALLS);

  /**
   * Plugs this visitor into the agent's transformer. A class with no {@code synchronized} method,
   * no {@code monitorenter} and no reference to a lock, condition or wait method by name has
   * nothing to rewrite here, and is not parsed for it; nor is one that has them only where no
   * method's code can make them a site (a field named {@code lock}, an operand byte that looks
   * like a {@code monitorenter}).
   */
  public static final ClassRewriter REWRITER = ClassRewriter.prescanned(LockSiteClassVisitor::new,
      reader -> (ClassScan.mayUseMonitors(reader) || ClassScan.refersToName(reader, CALL_NAMES))
          && !sitesOf(reader).isEmpty());
  /**
   * The look before parsing's scan of the class this thread is transforming, which the rewrite
   * that follows it (same thread, same reader) takes instead of decoding every method again.
   */
  private static final ThreadLocal<Scan> LAST_SCAN = new ThreadLocal<>();

  private record Scan(ClassReader reader, Map<String, ClassScan.Code> methods) {}

  private final LockTypes types;
  /** The bridges method references to lock methods need; null where methods cannot be added. */
  private MethodRefVisitor.Bridges bridges;
  /** The methods that may hold a site, with their header figures; read at the first method. */
  private Map<String, ClassScan.Code> siteMethods;

  private LockSiteClassVisitor(ClassVisitor next, Target target) {
    super(next, target);
    this.types = new LockTypes(target.hierarchy);
  }

  @Override
  public void visit(int version, int access, String name, String signature, String superName,
      String[] interfaces) {
    super.visit(version, access, name, signature, superName, interfaces);
    if (target.loadTime) { // a retransformed class may not gain methods
      bridges = new MethodRefVisitor.Bridges(name, (access & Opcodes.ACC_INTERFACE) != 0);
    }
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
      String[] exceptions) {
    boolean explicitMonitor =
        target.loadTime && SynchronizedMethodVisitor.canMakeMonitorExplicit(access, version);
    int written = explicitMonitor ? access & ~Opcodes.ACC_SYNCHRONIZED : access;
    MethodVisitor next = super.visitMethod(written, name, descriptor, signature, exceptions);
    ClassScan.Code code = siteMethods().get(name + descriptor);
    if (next == null || !hasCode(access) || code == null) {
      return next; // nothing to rewrite: copied as it is
    }
    MethodSites sites = methodSites(access, name, LockTypes.NAMES);
    int state = StateLocal.slotFor(name, code);
    // Last: every frame the others pass on or write gains the local.
    MethodVisitor chain = StateLocal.before(next, state);
    if (SynchronizedMethodVisitor.rewrites(access, version)) {
      // Last but the state, so that its protected ranges cover what the others insert.
      chain = new SynchronizedMethodVisitor(chain, sites, access, internalName, version,
          explicitMonitor, state);
    }
    // Before it: the method's own monitorenter is no site.
    chain = new MonitorVisitor(chain, sites, state);
    chain = new WaitVisitor(chain, sites);
    chain = new LockCallVisitor(chain, sites, types, state);
    if (bridges != null) {
      chain = new MethodRefVisitor(chain, sites, types, bridges);
    }
    return sites.ahead(chain);
  }

  private Map<String, ClassScan.Code> siteMethods() {
    if (siteMethods == null) {
      Scan last = LAST_SCAN.get();
      LAST_SCAN.remove();
      siteMethods = last != null && last.reader == target.reader ? last.methods
          : ClassScan.methodsWithSites(target.reader, CALL_NAMES, true);
    }
    return siteMethods;
  }

  /**
   * The methods of a class that may hold a lock-order site (lock, wait and monitor sites), kept
   * for the rewrite of the same class in this thread ({@link #LAST_SCAN}).
   */
  private static Map<String, ClassScan.Code> sitesOf(ClassReader reader) {
    Map<String, ClassScan.Code> methods = ClassScan.methodsWithSites(reader, CALL_NAMES, true);
    if (methods.isEmpty()) {
      LAST_SCAN.remove();
    } else {
      LAST_SCAN.set(new Scan(reader, methods));
    }
    return methods;
  }

  @Override
  public void visitEnd() {
    if (bridges != null) {
      bridges.writeTo(cv);
    }
    super.visitEnd();
  }
}
