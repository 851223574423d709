package dev.lockguard.agent.queue;

import dev.lockguard.agent.core.Getters;
import dev.lockguard.agent.core.SiteRegistrar;
import dev.lockguard.agent.queue.QueuePairFinder.Call;
import dev.lockguard.internal.queue.QueueOp;
import dev.lockguard.internal.queue.QueueSites;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Registers the sites of a method's pairs and inserts {@code QueueHooks} calls around them.
 *
 * <p>The queue calls themselves stay as they were (same dispatch, same exceptions, same blocking):
 * <pre>{@code
 * q.size()     ->  tmp = q; q.size() -> n; QueueHooks.afterCheck(n, tmp, site)
 * q.isEmpty()  ->  tmp = q; q.isEmpty() -> b; QueueHooks.afterIsEmpty(b, tmp, site)
 * q.peek()     ->  tmp = q; q.peek() -> h; QueueHooks.afterPeek(h, tmp, site)
 * q.take()     ->  tmp = q; QueueHooks.act(q, site); q.take(); QueueHooks.afterChange(tmp, site)
 * q.offer(e)   ->  tmp = q; QueueHooks.act(q, site); q.offer(e) -> r; QueueHooks.afterOffer(r, tmp, site)
 * }</pre>
 * A check's hook comes after it, to learn what it returned (how full the queue looked is what
 * tells a soft limit from the capacity). {@code tmp} is one new local, live only from just before
 * one queue call to just after it: no stack map frame falls in between, so the frames need no
 * change.
 */
final class QueueSiteRewriter {
  private static final String HOOKS = "dev/lockguard/internal/queue/QueueHooks";
  private static final String OBJECT_SITE = "(Ljava/lang/Object;I)V";

  private QueueSiteRewriter() {}

  /** Registers the sites of the pairs {@code result} found in {@code method}; instruments them. */
  static void rewrite(SiteRegistrar registrar, Getters getters, MethodNode method,
      QueuePairFinder.Result result) {
    Map<Call, List<Call>> pairs = result.checksOfAct();
    if (pairs.isEmpty()) {
      return;
    }
    int[] lines = lines(method.instructions);
    Map<Call, Integer> checkSites = new HashMap<>();
    for (Call check : result.checks()) {
      int site = register(registrar, getters, method, lines, check);
      QueueSites.check(site, check.op());
      checkSites.put(check, site);
    }
    int temp = method.maxLocals++;
    for (Map.Entry<Call, List<Call>> pair : pairs.entrySet()) {
      Call act = pair.getKey();
      int site = register(registrar, getters, method, lines, act);
      QueueSites.act(site, act.op(), pair.getValue().stream().mapToInt(checkSites::get).toArray());
      instrumentAct(method.instructions, act, site, temp);
    }
    for (Map.Entry<Call, Integer> check : checkSites.entrySet()) {
      instrumentCheck(method.instructions, check.getKey(), check.getValue(), temp);
    }
  }

  /** A site named after the queue's field or getter, when the data flow knows it. */
  private static int register(SiteRegistrar registrar, Getters getters, MethodNode method,
      int[] lines, Call call) {
    return registrar.register(method.name, lines[call.index()],
        FlowValue.displayName(call.origin(), getters));
  }

  private static void instrumentCheck(InsnList instructions, Call check, int site, int temp) {
    MethodNode before = new MethodNode();
    before.visitInsn(Opcodes.DUP);                              // Stack: q, q
    before.visitVarInsn(Opcodes.ASTORE, temp);                  // Stack: q
    instructions.insertBefore(check.insn(), before.instructions);
    MethodNode after = new MethodNode();                        // Stack: r (int, boolean, head)
    after.visitInsn(Opcodes.DUP);                               // Stack: r, r
    after.visitVarInsn(Opcodes.ALOAD, temp);                    // Stack: r, r, q
    SiteRegistrar.push(after, site);                            // Stack: r, r, q, site
    switch (check.op().shape) {
      case INT -> hook(after, "afterCheck", "(ILjava/lang/Object;I)V");
      case BOOLEAN -> hook(after, "afterIsEmpty", "(ZLjava/lang/Object;I)V");
      default -> hook(after, "afterPeek", "(Ljava/lang/Object;Ljava/lang/Object;I)V");
    }                                                           // Stack: r
    instructions.insert(check.insn(), after.instructions);
  }

  private static void instrumentAct(InsnList instructions, Call act, int site, int temp) {
    MethodNode before = new MethodNode();
    if (act.op().kind == QueueOp.Kind.PRODUCE) {
      before.visitInsn(Opcodes.SWAP);                           // Stack: e, q
      before.visitInsn(Opcodes.DUP);                            // Stack: e, q, q
      before.visitVarInsn(Opcodes.ASTORE, temp);                // Stack: e, q
      before.visitInsn(Opcodes.DUP_X1);                         // Stack: q, e, q
    } else {
      before.visitInsn(Opcodes.DUP);                            // Stack: q, q
      before.visitVarInsn(Opcodes.ASTORE, temp);                // Stack: q
      before.visitInsn(Opcodes.DUP);                            // Stack: q, q
    }
    SiteRegistrar.push(before, site);                           // Stack: [q, e,] q, site
    hook(before, "act", OBJECT_SITE);                           // Stack: q[, e]
    instructions.insertBefore(act.insn(), before.instructions);
    if (act.op().changes()) {
      instructions.insert(act.insn(), afterAct(act.op(), site, temp));
    }
  }

  /** The hook after an act that may have changed the queue; the act's result stays on the stack. */
  private static InsnList afterAct(QueueOp op, int site, int temp) {
    MethodNode after = new MethodNode();
    String hook;
    String descriptor;
    if (op.shape == QueueOp.Shape.BOOLEAN) {
      after.visitInsn(Opcodes.DUP);                             // Stack: r, r
      hook = "afterOffer";
      descriptor = "(ZLjava/lang/Object;I)V";
    } else if (op.nullMeansNothing()) {
      after.visitInsn(Opcodes.DUP);                             // Stack: element, element
      hook = "afterPoll";
      descriptor = "(Ljava/lang/Object;Ljava/lang/Object;I)V";
    } else {
      hook = "afterChange";
      descriptor = OBJECT_SITE;
    }
    after.visitVarInsn(Opcodes.ALOAD, temp);                    // Stack: [r, r,] q
    SiteRegistrar.push(after, site);                            // Stack: [r, r,] q, site
    hook(after, hook, descriptor);                              // Stack: [r]
    return after.instructions;
  }

  private static void hook(MethodVisitor code, String name, String descriptor) {
    code.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, name, descriptor, false);
  }

  /** The source line of each instruction (-1 before the first line number). */
  private static int[] lines(InsnList instructions) {
    int[] lines = new int[instructions.size()];
    int line = -1;
    for (int i = 0; i < lines.length; i++) {
      AbstractInsnNode insn = instructions.get(i);
      if (insn instanceof LineNumberNode number) {
        line = number.line;
      }
      lines[i] = line;
    }
    return lines;
  }
}
