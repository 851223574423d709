package dev.lockguard.agent;

import org.objectweb.asm.ClassVisitor;

/**
 * One detector's bytecode rewriting, chained by {@link LockTransformer}. Each rewriter wraps the
 * visitor it is given and calls {@link Target#changed()} when it rewrites anything, so that a
 * class with no site is left byte-for-byte as it was.
 */
interface ClassRewriter {
  ClassVisitor wrap(ClassVisitor next, Target target);
}
