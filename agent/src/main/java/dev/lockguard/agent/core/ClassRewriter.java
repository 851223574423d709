package dev.lockguard.agent.core;

import org.objectweb.asm.ClassVisitor;

/**
 * One detector's bytecode rewriting, chained by the agent's transformer. Each rewriter wraps the
 * visitor it is given and marks the target changed when it rewrites anything (registering a site
 * does), so that a class with no site is left byte-for-byte as it was.
 */
@FunctionalInterface
public interface ClassRewriter {
  ClassVisitor wrap(ClassVisitor next, Target target);
}
