package dev.lockguard.agent.core;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;

/**
 * The agent's one class-file transformer: filters, runs the rewriters, and returns null (class
 * unchanged) unless a rewriter rewrote a site.
 *
 * <p>A class is parsed only if some rewriter's look at its constant pool ({@link
 * ClassRewriter#mayChange}) finds something it may rewrite, and then only those rewriters see it:
 * the others are told it was not parsed for them ({@link ClassRewriter#notParsed}). A method that
 * none of them wraps goes from reader to writer untouched, so ASM copies its bytes as they are
 * instead of reading and writing every instruction; a class whose only change is its {@code
 * <clinit>} costs the reading of that one method, or, when that rewriter can patch the bytes
 * itself ({@link ClassRewriter#rewriteAlone}), no parse at all. Frames are read expanded only
 * when a rewriter that sees the class writes expanded frames ({@link
 * ClassRewriter#expandsFrames}); max stack is recomputed because hooks push extra values. Frames
 * are never recomputed: that would load classes from inside a transformer.
 */
public final class LockTransformer implements ClassFileTransformer {
  private final ClassFilter filter;
  private final List<ClassRewriter> rewriters;
  private final Set<String> failed = ConcurrentHashMap.newKeySet();

  /** @param rewriters at most 32, in the order they see each class */
  public LockTransformer(ClassFilter filter, List<ClassRewriter> rewriters) {
    if (rewriters.size() > Integer.SIZE) {
      throw new IllegalArgumentException(rewriters.size() + " rewriters; at most 32");
    }
    this.filter = filter;
    this.rewriters = rewriters;
  }

  @Override
  public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
      ProtectionDomain domain, byte[] classfile) {
    if (internalName == null) {
      return null;
    }
    String className = internalName.replace('/', '.');
    if (!filter.instrument(className, loader)) {
      return null;
    }
    try {
      return rewrite(classfile, loader, classBeingRedefined == null);
    } catch (Throwable failure) {
      if (failed.add(className)) {
        System.err.println("lockguard: could not instrument " + className
            + "; its locks are not watched (" + failure + ")");
      }
      return null;
    }
  }

  /**
   * Runs the rewriters over a class file, whatever the filter says.
   *
   * @param loader the class's defining loader, for the type hierarchies rewriters resolve
   * @param loadTime true for a class being loaded, false for one retransformed
   * @return the rewritten class file, or null when no rewriter changed anything
   */
  public byte[] rewrite(byte[] classfile, ClassLoader loader, boolean loadTime) {
    ClassReader reader = new ClassReader(classfile);
    int parsing = 0; // bit i: rewriter i may change the class
    for (int i = 0; i < rewriters.size(); i++) {
      if (rewriters.get(i).mayChange(reader)) {
        parsing |= 1 << i;
      }
    }
    boolean expandFrames = false;
    for (int i = 0; i < rewriters.size(); i++) {
      if ((parsing & 1 << i) == 0) {
        rewriters.get(i).notParsed(reader, loadTime);
      } else {
        expandFrames |= rewriters.get(i).expandsFrames();
      }
    }
    if (parsing == 0) {
      return null; // the common case: no rewriter has anything to do, so nothing is parsed
    }
    if (Integer.bitCount(parsing) == 1) {
      byte[] alone = rewriters.get(Integer.numberOfTrailingZeros(parsing))
          .rewriteAlone(classfile, reader, loadTime);
      if (alone != null) {
        return alone == classfile ? null : alone;
      }
    }
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    Target target = new Target(reader, loader, loadTime, expandFrames);
    ClassVisitor chain = writer;
    for (int i = rewriters.size() - 1; i >= 0; i--) {
      if ((parsing & 1 << i) != 0) {
        chain = rewriters.get(i).wrap(chain, target);
      }
    }
    reader.accept(chain, expandFrames ? ClassReader.EXPAND_FRAMES : 0);
    return target.isChanged() ? writer.toByteArray() : null;
  }
}
