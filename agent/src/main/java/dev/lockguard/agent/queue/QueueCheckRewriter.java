package dev.lockguard.agent.queue;

import dev.lockguard.agent.core.ClassRewriter;
import dev.lockguard.agent.core.LockTransformer;

import dev.lockguard.agent.queue.QueueCheckClassVisitor;
import dev.lockguard.agent.queue.QueueConstantPool;
import java.util.Queue;

/**
 * Plugs the queue check ({@code dev.lockguard.agent.queue}) into {@link LockTransformer}: an
 * application type is a queue when its hierarchy reaches {@link Queue}. A class whose constant
 * pool names no check and no act on a possible queue type passes through untouched.
 */
public final class QueueCheckRewriter {
  public static final ClassRewriter REWRITER = (next, target) ->
      QueueConstantPool.mayHavePairs(target.reader)
          ? new QueueCheckClassVisitor(next,
              owner -> target.hierarchy.isSubtypeOf(owner, Queue.class), target::changed)
          : next;

  private QueueCheckRewriter() {}
}
