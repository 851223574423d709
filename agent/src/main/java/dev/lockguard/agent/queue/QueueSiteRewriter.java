package dev.lockguard.agent.queue;

import dev.lockguard.agent.queue.QueuePairFinder.Call;
import dev.lockguard.internal.queue.QueueOp;
import dev.lockguard.internal.queue.QueueSites;
import dev.lockguard.internal.core.Sites;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Registers the sites of a method's pairs and inserts {@code QueueHooks} calls around them.
 *
 * <p>The queue calls themselves stay as they were (same dispatch, same exceptions, same blocking):
 * <pre>{@code
 * q.isEmpty()  ->  QueueHooks.check(q, site); q.isEmpty()
 * q.take()     ->  tmp = q; QueueHooks.act(q, site); q.take(); QueueHooks.afterChange(tmp, site)
 * q.offer(e)   ->  tmp = q; QueueHooks.act(q, site); q.offer(e) -> r; QueueHooks.afterOffer(r, tmp, site)
 * }</pre>
 * {@code tmp} is one new local, live only between the two hooks of one act: no stack map frame
 * falls between them, so the frames need no change.
 */
final class QueueSiteRewriter {
  private static final String HOOKS = "dev/lockguard/internal/queue/QueueHooks";
  private static final String OBJECT_SITE = "(Ljava/lang/Object;I)V";

  private QueueSiteRewriter() {}

  /**
   * Instruments the pairs {@code result} found in {@code method} of class {@code className};
   * returns whether there were any.
   */
  static boolean rewrite(String className, String sourceFile, MethodNode method,
      QueuePairFinder.Result result) {
    Map<Call, List<Call>> pairs = result.checksOfAct();
    if (pairs.isEmpty()) {
      return false;
    }
    int[] lines = lines(method.instructions);
    Map<Call, Integer> checkSites = new HashMap<>();
    for (Call check : result.checks()) {
      int site = register(className, sourceFile, method.name, lines[check.index()], check);
      QueueSites.check(site, check.op());
      checkSites.put(check, site);
    }
    int temp = method.maxLocals++;
    for (Map.Entry<Call, List<Call>> pair : pairs.entrySet()) {
      Call act = pair.getKey();
      int site = register(className, sourceFile, method.name, lines[act.index()], act);
      QueueSites.act(site, act.op(), pair.getValue().stream().mapToInt(checkSites::get).toArray());
      instrumentAct(method.instructions, act, site, temp);
    }
    for (Map.Entry<Call, Integer> check : checkSites.entrySet()) {
      instrumentCheck(method.instructions, check.getKey().insn(), check.getValue());
    }
    return true;
  }

  private static int register(String className, String sourceFile, String methodName, int line,
      Call call) {
    return Sites.register(className, methodName, sourceFile, line,
        FlowValue.displayName(call.origin()));
  }

  private static void instrumentCheck(InsnList instructions, MethodInsnNode call, int site) {
    InsnList before = new InsnList();
    before.add(new InsnNode(Opcodes.DUP));                      // Stack: q, q
    before.add(pushInt(site));                                  // Stack: q, q, site
    before.add(hook("check", OBJECT_SITE));                     // Stack: q
    instructions.insertBefore(call, before);
  }

  private static void instrumentAct(InsnList instructions, Call act, int site, int temp) {
    InsnList before = new InsnList();
    if (act.op().kind == QueueOp.Kind.PRODUCE) {
      before.add(new InsnNode(Opcodes.SWAP));                   // Stack: e, q
      before.add(new InsnNode(Opcodes.DUP));                    // Stack: e, q, q
      before.add(new VarInsnNode(Opcodes.ASTORE, temp));        // Stack: e, q
      before.add(new InsnNode(Opcodes.DUP_X1));                 // Stack: q, e, q
    } else {
      before.add(new InsnNode(Opcodes.DUP));                    // Stack: q, q
      before.add(new VarInsnNode(Opcodes.ASTORE, temp));        // Stack: q
      before.add(new InsnNode(Opcodes.DUP));                    // Stack: q, q
    }
    before.add(pushInt(site));                                  // Stack: [q, e,] q, site
    before.add(hook("act", OBJECT_SITE));                       // Stack: q[, e]
    instructions.insertBefore(act.insn(), before);
    if (act.op().changes()) {
      instructions.insert(act.insn(), afterAct(act.op(), site, temp));
    }
  }

  /** The hook after an act that may have changed the queue; the act's result stays on the stack. */
  private static InsnList afterAct(QueueOp op, int site, int temp) {
    InsnList after = new InsnList();
    String hook;
    String descriptor;
    if (op.shape == QueueOp.Shape.BOOLEAN) {
      after.add(new InsnNode(Opcodes.DUP));                     // Stack: r, r
      hook = "afterOffer";
      descriptor = "(ZLjava/lang/Object;I)V";
    } else if (op.nullMeansNothing()) {
      after.add(new InsnNode(Opcodes.DUP));                     // Stack: element, element
      hook = "afterPoll";
      descriptor = "(Ljava/lang/Object;Ljava/lang/Object;I)V";
    } else {
      hook = "afterChange";
      descriptor = OBJECT_SITE;
    }
    after.add(new VarInsnNode(Opcodes.ALOAD, temp));            // Stack: [r, r,] q
    after.add(pushInt(site));                                   // Stack: [r, r,] q, site
    after.add(hook(hook, descriptor));                          // Stack: [r]
    return after;
  }

  private static MethodInsnNode hook(String name, String descriptor) {
    return new MethodInsnNode(Opcodes.INVOKESTATIC, HOOKS, name, descriptor, false);
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

  private static AbstractInsnNode pushInt(int value) {
    if (value >= -1 && value <= 5) {
      return new InsnNode(Opcodes.ICONST_0 + value);
    }
    if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      return new IntInsnNode(Opcodes.BIPUSH, value);
    }
    if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      return new IntInsnNode(Opcodes.SIPUSH, value);
    }
    return new LdcInsnNode(value);
  }
}
