package dev.lockguard.agent.queue;

import dev.lockguard.agent.core.SiteClassVisitor;

import dev.lockguard.internal.queue.QueueSites;
import java.util.Set;
import java.util.function.Predicate;
import dev.lockguard.agent.core.SiteClassVisitor;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/**
 * Buffers each method of a class, finds its check-then-act pairs on queues, instruments their
 * sites and passes the method on. Methods without a pair pass on unchanged.
 */
public final class QueueCheckClassVisitor extends SiteClassVisitor {
  /** The JDK's queue types by name; other {@code java.*} types are not queues. */
  static final Set<String> JDK_QUEUES = Set.of(
      "java/util/Queue",
      "java/util/Deque",
      "java/util/AbstractQueue",
      "java/util/ArrayDeque",
      "java/util/LinkedList",
      "java/util/PriorityQueue",
      "java/util/concurrent/BlockingQueue",
      "java/util/concurrent/BlockingDeque",
      "java/util/concurrent/TransferQueue",
      "java/util/concurrent/ArrayBlockingQueue",
      "java/util/concurrent/LinkedBlockingQueue",
      "java/util/concurrent/LinkedBlockingDeque",
      "java/util/concurrent/LinkedTransferQueue",
      "java/util/concurrent/PriorityBlockingQueue",
      "java/util/concurrent/DelayQueue",
      "java/util/concurrent/SynchronousQueue",
      "java/util/concurrent/ConcurrentLinkedQueue",
      "java/util/concurrent/ConcurrentLinkedDeque");

  private static final int STACK_HEADROOM = 8;

  private final Predicate<String> isApplicationQueue;
  private final Runnable changed;
  private int callsSeen;

  /**
   * @param isApplicationQueue whether a non-JDK type (internal name) is a {@code java.util.Queue}
   * @param changed called when a method of the class was instrumented
   */
  public QueueCheckClassVisitor(ClassVisitor next, Predicate<String> isApplicationQueue,
      Runnable changed) {
    super(next);
    this.isApplicationQueue = isApplicationQueue;
    this.changed = changed;
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
      String[] exceptions) {
    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
    if (next == null || !hasCode(access)) {
      return next;
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

  /**
   * Whether calls on {@code owner} are calls on a queue: the JDK's queue types by name, an
   * application type by resolving its hierarchy.
   */
  boolean isQueueType(String owner) {
    if (JDK_QUEUES.contains(owner)) {
      return true;
    }
    return mayBeApplicationQueue(owner) && isApplicationQueue.test(owner);
  }

  /** Whether {@code owner} is outside the JDK (whose queues are all in {@link #JDK_QUEUES}). */
  static boolean mayBeApplicationQueue(String owner) {
    return !owner.startsWith("java/") && !owner.startsWith("[");
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
      QueuePairFinder.Result result =
          QueuePairFinder.find(internalName, this, QueueCheckClassVisitor.this::isQueueType);
      callsSeen += result.callsSeen();
      if (QueueSiteRewriter.rewrite(className, sourceFile, this, result)) {
        changed.run();
      }
      accept(next);
    }
  }
}
