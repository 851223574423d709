package dev.lockguard.agent.core;

import org.objectweb.asm.ClassVisitor;

/**
 * One detector's bytecode rewriting, chained by {@link LockTransformer}. Each rewriter wraps the
 * visitor it is given and calls {@link Target#changed()} when it rewrites anything, so that a
 * class with no site is left byte-for-byte as it was.
 */
public interface ClassRewriter {
  public ClassVisitor wrap(ClassVisitor next, Target target);
}
