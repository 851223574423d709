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
 * <p>The reading is cheap: {@link InitDescription} decodes the declarations and the code of the
 * initializer and of the methods it calls straight from the class file. When only this rewriter
 * may change a class and neither its initializer nor those methods take a lock, the hooks are
 * patched into the bytes ({@link ClinitPatch}) and ASM does not parse the class at all; otherwise
 * this visitor rides on the transformer's one pass and only adds the hooks, the locks' included.
 * Classes retransformed after they were loaded are left alone: their initializers ran before the
 * agent could watch them.
 */
public final class ClassInitClassVisitor extends SiteClassVisitor {
  /**
   * Rewrites a class that has an initializer, reading no method but the initializer: the others
   * pass to the writer as they are, and are copied byte for byte unless another rewriter sees the
   * class too. A class without an initializer changes nothing and is not parsed for this
   * rewriter; it is declared from its header ({@link InitHeader}): the runtime still needs the
   * parents of a subclass whose superclass's initializer makes one of it.
   */
  public static final ClassRewriter REWRITER = new ClassRewriter() {
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
     * The hooks patched into the bytes, when neither the initializer nor the methods it calls
     * take a lock (the lock hook needs ASM's pass) and the patch handles the code.
     */
    @Override
    public byte[] rewriteAlone(byte[] classfile, ClassReader reader, boolean loadTime) {
      if (!InitDescription.watched(reader, loadTime)) {
        return classfile;
      }
      InitDescription description = InitDescription.read(reader, true);
      if (description.takesLock()) {
        return null;
      }
      // Described before the patch: if it declines, ASM's pass describes the class again, alike.
      return ClinitPatch.patch(classfile, reader, description.initializerCode(),
          description.describe());
    }
  };

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
