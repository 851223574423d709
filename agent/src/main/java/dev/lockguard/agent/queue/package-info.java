/**
 * The static part of the queue check: finds check-then-act pairs on queues in a method's bytecode
 * and inserts {@code dev.lockguard.internal.queue.QueueHooks} calls around the sites of those pairs only.
 *
 * <p>{@link dev.lockguard.agent.queue.QueueCheckClassVisitor} is the rewriter the agent's
 * transformer chains; {@link dev.lockguard.agent.queue.QueuePairFinder} does the analysis (data flow of check results
 * and queue references, then control dependence through post-dominators);
 * {@link dev.lockguard.agent.queue.QueueSiteRewriter} writes the hooks.
 */
package dev.lockguard.agent.queue;
