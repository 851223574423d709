package dev.lockguard.agent.core;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What every rewriter's class visitor needs to know of the class it rewrites: its names, its
 * source file and class-file version (for the frames it writes), and its {@link SiteRegistrar}.
 */
public abstract class SiteClassVisitor extends ClassVisitor {
  protected final Target target;
  /** The class's internal name ({@code com/acme/Foo}). */
  protected String internalName;
  /** The class's binary name ({@code com.acme.Foo}). */
  protected String className;
  /** The source file the class was compiled from, or null. */
  protected String sourceFile;
  /** The class-file version. */
  protected int version;
  private SiteRegistrar registrar;

  protected SiteClassVisitor(ClassVisitor next, Target target) {
    super(Opcodes.ASM9, next);
    this.target = target;
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

  /** The class's registrar, made once its name and source file are known (at its first method). */
  protected SiteRegistrar registrar() {
    if (registrar == null) {
      registrar = new SiteRegistrar(target, className, sourceFile);
    }
    return registrar;
  }

  /**
   * The head of a method's rewriters, to put {@link MethodSites#ahead} them once they are made.
   *
   * @param access the method's flags: an instance method names {@code this} after the class
   */
  protected MethodSites methodSites(int access, String methodName, ReceiverNames.Rules rules) {
    return new MethodSites(rules, registrar(), methodName, isJdk() ? null : internalName,
        (access & Opcodes.ACC_STATIC) == 0, target.getters, version >= Opcodes.V1_7);
  }

  /**
   * Whether the class is the JDK's (retransformed): its names say little about which collection
   * a lock is, so its {@code this} is left for the runtime to name after the object's class.
   */
  protected boolean isJdk() {
    return className.startsWith("java.");
  }

  /** Whether a method with these flags has code to rewrite. */
  public static boolean hasCode(int access) {
    return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
  }
}
