package dev.lockguard.agent.classinit;

import dev.lockguard.agent.core.ClassRewriter;
import dev.lockguard.agent.core.ClassScan;
import dev.lockguard.agent.core.SiteClassVisitor;
import dev.lockguard.agent.core.Target;
import dev.lockguard.internal.classinit.ClassInits;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;

/**
 * The class-initialization rewriter: puts the hooks around a class's {@code <clinit>} ({@link
 * ClinitHooks}) and tells the runtime ({@link ClassInits#describe}) what the class's
 * initialization needs, as {@link InitDescription} reads it from the class file.
 *
 * <p>The reading is lazy or cheap. When only this rewriter may change a class, the hooks are
 * patched into the bytes ({@link ClinitPatch}), ASM does not parse the class at all, and the
 * class is declared from its header ({@link InitHeader}): {@link InitDescription} reads its
 * initializer when the initializer starts, which a class loaded and never initialized never
 * does. Otherwise this visitor rides on the transformer's one pass and adds the hooks, the locks'
 * included; {@link InitDescription} then reads the class at once, straight from the class file,
 * for the methods that take a lock. An initializer that cannot start another application class's
 * initialization ({@link InertInitializer}) gets no hooks at all.
 * Classes retransformed after they were loaded are left alone: their initializers ran before the
 * agent could watch them.
 */
public final class ClassInitClassVisitor extends SiteClassVisitor {
  /**
   * Rewrites a class that has an initializer, reading no method but the initializer: the others
   * pass to the writer as they are, and are copied byte for byte unless another rewriter sees the
   * class too. A class without an initializer changes nothing and is not parsed for this
   * rewriter; it is declared from its header ({@link InitHeader}): the runtime still needs the
   * parents of a subclass whose superclass's initializer makes one of it. For a transformer
   * without the lock-order rewriter: it looks for locks itself ({@link Rewriter#rewriteAlone}).
   */
  public static final ClassRewriter REWRITER = new Rewriter(true);
  /**
   * {@link #REWRITER} for the agent's transformer, where the lock-order rewriter sees each class
   * first: a class only this rewriter changes has no lock that rewriter would rewrite, so the
   * look for locks is not made twice.
   */
  public static final ClassRewriter AFTER_LOCK_ORDER = new Rewriter(false);

  private static final ClassScan.Names LOCK_CALLS = ClassScan.Names.of(InitDescription.LOCK_CALLS);

  private static final class Rewriter implements ClassRewriter {
    /** Whether {@link #rewriteAlone} must look for locks: no other rewriter looked. */
    private final boolean looksForLocks;

    Rewriter(boolean looksForLocks) {
      this.looksForLocks = looksForLocks;
    }

    @Override
    public ClassVisitor wrap(ClassVisitor next, Target target) {
      return new ClassInitClassVisitor(next, target);
    }

    @Override
    public boolean mayChange(ClassReader reader) {
      return ClassScan.declaresMethod(reader, "<clinit>");
    }

    /** Its one frame, the catch-all handler's, is written in the form the class is read in. */
    @Override
    public boolean expandsFrames() {
      return false;
    }

    @Override
    public void notParsed(ClassReader reader, boolean loadTime) {
      InitHeader.declare(reader, loadTime);
    }

    /**
     * The hooks patched into the bytes, and the class declared from its header with its class
     * file kept: the runtime has {@link InitDescription} read it when the initializer starts
     * ({@link InitHeader#declareInitializer}). An inert initializer ({@link InertInitializer})
     * gets no hooks: the class is declared as one without an initializer. Null, for ASM's pass,
     * which adds the lock hook, when the class may take a lock (a monitor, a {@code
     * synchronized} method or a call named like {@code Lock.lock()}: after the lock-order
     * rewriter, no class that comes here alone does), or the patch does not handle the
     * initializer's code.
     */
    @Override
    public byte[] rewriteAlone(byte[] classfile, ClassReader reader, boolean loadTime) {
      if (!InitDescription.watched(reader, loadTime)) {
        return classfile;
      }
      if (looksForLocks && !ClassScan.methodsWithSites(reader, LOCK_CALLS, true).isEmpty()) {
        return null;
      }
      int code = ClassScan.codeOf(reader, "<clinit>");
      if (code < 0) {
        return null;
      }
      if (InertInitializer.test(reader, code)) {
        InitHeader.declare(reader, true); // as a class without an initializer: no hooks
        return classfile;
      }
      // Declared before the patch: if it declines, ASM's pass describes the class at once.
      return ClinitPatch.patch(classfile, reader, code, InitHeader.declareInitializer(reader));
    }
  }

  /**
   * The runtime's reader of the class files it keeps unread ({@link ClassInits#readWith}): reads
   * the class's initializer and the methods it calls, and describes the class.
   */
  public static final ClassInits.Reader READER =
      classfile -> InitDescription.read(new ClassReader(classfile), true).describe();

  /** The class's description, read at its header; null when the class is not watched. */
  private InitDescription description;

  private ClassInitClassVisitor(ClassVisitor next, Target target) {
    super(next, target);
  }

  @Override
  public void visit(int version, int access, String name, String signature, String superName,
      String[] interfaces) {
    super.visit(version, access, name, signature, superName, interfaces);
    if (InitDescription.watched(target.reader, target.loadTime)) {
      description = InitDescription.read(target.reader, true);
    }
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
      String[] exceptions) {
    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
    if (description == null) {
      return next;
    }
    if (name.equals("<clinit>")) {
      target.changed();
      return new ClinitHooks(next, ClassInits.reserve(className), version,
          target.expandedFrames);
    }
    if (description.lockingCallees().contains(name + descriptor)) {
      target.changed();
      return ClinitHooks.locksOnly(next, ClassInits.reserve(className));
    }
    return next;
  }

  @Override
  public void visitEnd() {
    super.visitEnd();
    if (description != null) {
      description.describe();
    }
  }
}
