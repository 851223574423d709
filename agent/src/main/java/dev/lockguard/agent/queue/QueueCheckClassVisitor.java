package dev.lockguard.agent.queue;

import dev.lockguard.agent.core.ClassRewriter;
import dev.lockguard.agent.core.ClassScan;
import dev.lockguard.agent.core.SiteClassVisitor;
import dev.lockguard.agent.core.Target;
import dev.lockguard.internal.queue.QueueSites;
import java.util.Queue;
import java.util.Set;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/**
 * Buffers each method of a class that calls a queue operation on a possible queue, finds its
 * check-then-act pairs, instruments their sites and passes the method on. Methods without a pair
 * pass on unchanged; methods without such a call are not buffered at all, so that the writer
 * copies them byte for byte when no other rewriter wraps them.
 */
public final class QueueCheckClassVisitor extends SiteClassVisitor {
  /**
   * Plugs the queue check into the agent's transformer: an application type is a queue when its
   * hierarchy reaches {@link Queue}. A class whose constant pool names no check and no act on a
   * possible queue type passes through untouched, and so does a curated JDK class (a blocking
   * queue watched for its locks): its checks and acts on itself run under its own lock.
   */
  public static final ClassRewriter REWRITER = ClassRewriter.prescanned((next, target) ->
      !target.reader.getClassName().startsWith("java/")
          && QueueConstantPool.mayHavePairs(target.reader)
          ? new QueueCheckClassVisitor(next, target)
          : next, QueueConstantPool::mayHavePairs);

  private static final int STACK_HEADROOM = 8;

  private final QueueTypes types;
  /** The methods, by name and descriptor, whose code calls a queue operation on a possible queue. */
  private final Set<String> queueMethods;
  private int callsSeen;

  QueueCheckClassVisitor(ClassVisitor next, Target target) {
    super(next, target);
    this.types = new QueueTypes(owner -> target.hierarchy.isSubtypeOf(owner, Queue.class));
    this.queueMethods = ClassScan.methodsCalling(target.reader,
        QueueConstantPool.queueCalls(target.reader), false).keySet();
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
      String[] exceptions) {
    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
    if (next == null || !hasCode(access) || !queueMethods.contains(name + descriptor)) {
      return next; // no queue call, so no pair and nothing to count
    }
    return new MethodBuffer(access, name, descriptor, signature, exceptions, next);
  }

  @Override
  public void visitEnd() {
    if (callsSeen > 0) {
      QueueSites.seen(callsSeen);
    }
    super.visitEnd();
  }

  /** One method, held as a tree until its end so that it can be analysed as a whole. */
  private final class MethodBuffer extends MethodNode {
    private final MethodVisitor next;

    MethodBuffer(int access, String name, String descriptor, String signature,
        String[] exceptions, MethodVisitor next) {
      super(Opcodes.ASM9, access, name, descriptor, signature, exceptions);
      this.next = next;
    }

    /**
     * Room for what a rewriter before this one pushed without raising the declared maximum (the
     * writer recomputes it): the analysis would otherwise stop at the first such push.
     */
    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      super.visitMaxs(maxStack + STACK_HEADROOM, maxLocals);
    }

    @Override
    public void visitEnd() {
      QueuePairFinder.Result result = QueuePairFinder.find(internalName, this, types::isQueueType);
      callsSeen += result.callsSeen();
      QueueSiteRewriter.rewrite(registrar(), target.getters, this, result);
      accept(next);
    }
  }
}
