package dev.lockguard.agent.core;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What every rewriter's class visitor needs to know of the class it rewrites: its names, its
 * source file (for the sites it registers) and its class-file version (for the frames it writes).
 */
public abstract class SiteClassVisitor extends ClassVisitor {
  /** The class's internal name ({@code com/acme/Foo}). */
  public String internalName;
  /** The class's binary name ({@code com.acme.Foo}). */
  public String className;
  /** The source file the class was compiled from, or null. */
  public String sourceFile;
  /** The class-file version. */
  public int version;

  public SiteClassVisitor(ClassVisitor next) {
    super(Opcodes.ASM9, next);
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

  /** Whether a method with these flags has code to rewrite. */
  public static boolean hasCode(int access) {
    return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
  }
}
