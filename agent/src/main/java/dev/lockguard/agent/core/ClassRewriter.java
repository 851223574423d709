package dev.lockguard.agent.core;

import java.util.function.Predicate;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;

/**
 * One detector's bytecode rewriting, chained by the agent's transformer. Each rewriter wraps the
 * visitor it is given and marks the target changed when it rewrites anything (registering a site
 * does), so that a class with no site is left byte-for-byte as it was.
 */
@FunctionalInterface
public interface ClassRewriter {
  ClassVisitor wrap(ClassVisitor next, Target target);

  /**
   * A cheap look at the class file before it is parsed: false only if this rewriter can be sure
   * that it would change nothing. When every rewriter says false, the transformer leaves the
   * class alone without parsing it (most classes of a large application hold no lock, queue or
   * latch call). The default, true, always parses.
   */
  default boolean mayChange(ClassReader reader) {
    return true;
  }

  /**
   * Whether the frames this rewriter writes are expanded ({@link org.objectweb.asm.Opcodes#F_NEW}),
   * so that the class must be read with {@link ClassReader#EXPAND_FRAMES} when it sees it. A
   * rewriter that says false writes frames in whichever form {@link Target#expandedFrames} says,
   * and a class that only such rewriters see skips the expansion. The default, true, always
   * expands.
   */
  default boolean expandsFrames() {
    return true;
  }

  /**
   * Called instead of {@link #wrap} when the transformer does not parse the class for this
   * rewriter, because its {@link #mayChange} said false (other rewriters may still parse it): a
   * rewriter that must still learn something of every class (the
   * class-initialization detector: the class's parents) reads it here, cheaply. The default does
   * nothing.
   *
   * @param loadTime true for a class being loaded, false for one retransformed
   */
  default void notParsed(ClassReader reader, boolean loadTime) {}

  /**
   * A rewrite without a parse, tried instead of {@link #wrap} when this rewriter is the only one
   * that may change the class (every other one was told {@link #notParsed}).
   *
   * @param classfile the class file {@code reader} reads
   * @param loadTime true for a class being loaded, false for one retransformed
   * @return the class file rewritten, {@code classfile} itself when nothing changes, or null to
   *     have the class parsed and {@link #wrap} called as usual (the default)
   */
  default byte[] rewriteAlone(byte[] classfile, ClassReader reader, boolean loadTime) {
    return null;
  }

  /** {@code rewriter}, with {@code mayChange} as its look before parsing. */
  static ClassRewriter prescanned(ClassRewriter rewriter, Predicate<ClassReader> mayChange) {
    return new ClassRewriter() {
      @Override
      public ClassVisitor wrap(ClassVisitor next, Target target) {
        return rewriter.wrap(next, target);
      }

      @Override
      public boolean mayChange(ClassReader reader) {
        return mayChange.test(reader);
      }
    };
  }
}
