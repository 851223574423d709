package dev.lockguard.agent.queue;

import dev.lockguard.internal.queue.QueueOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Finds the check-then-act pairs of one method: a check call on a queue whose result decides a
 * later act call on the same queue.
 *
 * <ol>
 *   <li>Queue calls are calls of a {@link QueueOp} whose owner is a queue type. A method without
 *       both a check and an act stops here: most methods cost one scan of their instructions.
 *   <li>A data-flow pass ({@link FlowInterpreter}) tells, at each conditional branch, which check
 *       results its operands came from, and, at each call, where its receiver came from.
 *   <li>{@link ControlRegions} tells which instructions each such branch decides.
 *   <li>A pair is a check tainting a branch and an act the branch decides, on the same origin.
 * </ol>
 * Constants materialised under a tainted branch feed another data-flow pass (at most
 * {@value #PASSES} in all), so {@code boolean full = q.size() >= cap; if (full) ...} is a pair.
 */
final class QueuePairFinder {
  private static final int PASSES = 3;
  /** Check results are tracked as bits of a long. */
  private static final int MAX_CHECKS = 64;

  private QueuePairFinder() {}

  /** A queue call in the method. */
  record Call(int index, MethodInsnNode insn, QueueOp op, String origin) {}

  /** The queue calls of a method, and for each act in a pair the checks that decide it. */
  record Result(int callsSeen, Map<Call, List<Call>> checksOfAct) {
    Set<Call> checks() {
      Set<Call> checks = new LinkedHashSet<>();
      checksOfAct.values().forEach(checks::addAll);
      return checks;
    }
  }

  /** The pairs of {@code method}, a method of class {@code owner} (internal name). */
  static Result find(String owner, MethodNode method, Predicate<String> isQueueType) {
    List<Call> calls = queueCalls(method, isQueueType);
    List<Call> checks = new ArrayList<>();
    boolean anyAct = false;
    for (Call call : calls) {
      if (call.op().kind == QueueOp.Kind.CHECK && checks.size() < MAX_CHECKS) {
        checks.add(call);
      }
      anyAct |= call.op().isAct();
    }
    if (checks.isEmpty() || !anyAct) {
      return new Result(calls.size(), Map.of());
    }
    try {
      return new Result(calls.size(), pairs(owner, method, calls, checks));
    } catch (AnalyzerException | RuntimeException e) {
      return new Result(calls.size(), Map.of()); // code the analyzer cannot follow stays as it is
    }
  }

  private static List<Call> queueCalls(MethodNode method, Predicate<String> isQueueType) {
    List<Call> calls = new ArrayList<>();
    InsnList instructions = method.instructions;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i) instanceof MethodInsnNode call && isInstanceCall(call)) {
        QueueOp op = QueueOp.of(call.name, call.desc);
        if (op != null && isQueueType.test(call.owner)) {
          calls.add(new Call(i, call, op, null));
        }
      }
    }
    return calls;
  }

  private static boolean isInstanceCall(MethodInsnNode call) {
    return call.getOpcode() != Opcodes.INVOKESTATIC && !call.name.equals("<init>");
  }

  private static Map<Call, List<Call>> pairs(String owner, MethodNode method, List<Call> calls,
      List<Call> checks) throws AnalyzerException {
    Map<AbstractInsnNode, Long> checkBits = new HashMap<>();
    for (int bit = 0; bit < checks.size(); bit++) {
      checkBits.put(checks.get(bit).insn(), 1L << bit);
    }
    Map<AbstractInsnNode, Long> implied = new HashMap<>();
    EdgeRecorder first = new EdgeRecorder(method, checkBits, implied);
    Frame<FlowValue>[] frames = first.analyze(owner, method);
    ControlRegions regions = first.regions(frames);
    Map<Integer, BitSet> regionOf = new HashMap<>();
    Map<Integer, Long> branches = taintedBranches(method, frames);
    for (int pass = 1; pass < PASSES && implyConstants(method, branches, regions, regionOf, implied);
        pass++) {
      frames = new Analyzer<>(new FlowInterpreter(method.instructions, checkBits, implied))
          .analyze(owner, method);
      branches = taintedBranches(method, frames);
    }
    return pairsOf(withOrigins(calls, frames), checks, branches, regions, regionOf);
  }

  private static Map<Call, List<Call>> pairsOf(List<Call> calls, List<Call> checks,
      Map<Integer, Long> branches, ControlRegions regions, Map<Integer, BitSet> regionOf) {
    Map<Integer, Call> byIndex = new HashMap<>();
    for (Call call : calls) {
      byIndex.put(call.index(), call);
    }
    Map<Call, List<Call>> pairs = new LinkedHashMap<>();
    for (Map.Entry<Integer, Long> branch : branches.entrySet()) {
      BitSet region = regionOf.computeIfAbsent(branch.getKey(), regions::region);
      for (Call act : calls) {
        if (!act.op().isAct() || act.origin() == null || !region.get(act.index())) {
          continue;
        }
        long bits = branch.getValue();
        for (int bit = 0; bit < checks.size(); bit++) {
          Call check = byIndex.get(checks.get(bit).index());
          if ((bits & (1L << bit)) != 0 && act.origin().equals(check.origin())) {
            List<Call> deciding = pairs.computeIfAbsent(act, a -> new ArrayList<>());
            if (!deciding.contains(check)) {
              deciding.add(check);
            }
          }
        }
      }
    }
    return pairs;
  }

  /** Conditional branches whose operands carry check results, with those checks' bits. */
  private static Map<Integer, Long> taintedBranches(MethodNode method,
      Frame<FlowValue>[] frames) {
    Map<Integer, Long> branches = new LinkedHashMap<>();
    InsnList instructions = method.instructions;
    for (int i = 0; i < instructions.size(); i++) {
      Frame<FlowValue> frame = frames[i];
      int operands = conditionOperands(instructions.get(i));
      if (frame == null || operands == 0) {
        continue;
      }
      long bits = 0L;
      for (int k = 1; k <= operands; k++) {
        bits |= frame.getStack(frame.getStackSize() - k).checks;
      }
      if (bits != 0L) {
        branches.put(i, bits);
      }
    }
    return branches;
  }

  private static int conditionOperands(AbstractInsnNode insn) {
    int opcode = insn.getOpcode();
    if (insn instanceof JumpInsnNode) {
      if (opcode >= Opcodes.IFEQ && opcode <= Opcodes.IFLE
          || opcode == Opcodes.IFNULL || opcode == Opcodes.IFNONNULL) {
        return 1;
      }
      return opcode >= Opcodes.IF_ICMPEQ && opcode <= Opcodes.IF_ACMPNE ? 2 : 0;
    }
    return opcode == Opcodes.TABLESWITCH || opcode == Opcodes.LOOKUPSWITCH ? 1 : 0;
  }

  /**
   * Taints the {@code iconst_0}/{@code iconst_1} that tainted branches decide; true if that
   * added anything, so another pass is worth it.
   */
  private static boolean implyConstants(MethodNode method, Map<Integer, Long> branches,
      ControlRegions regions, Map<Integer, BitSet> regionOf, Map<AbstractInsnNode, Long> implied) {
    boolean grew = false;
    for (Map.Entry<Integer, Long> branch : branches.entrySet()) {
      BitSet region = regionOf.computeIfAbsent(branch.getKey(), regions::region);
      for (int i = region.nextSetBit(0); i >= 0; i = region.nextSetBit(i + 1)) {
        AbstractInsnNode insn = method.instructions.get(i);
        int opcode = insn.getOpcode();
        if (opcode == Opcodes.ICONST_0 || opcode == Opcodes.ICONST_1) {
          long before = implied.getOrDefault(insn, 0L);
          long after = before | branch.getValue();
          if (after != before) {
            implied.put(insn, after);
            grew = true;
          }
        }
      }
    }
    return grew;
  }

  private static List<Call> withOrigins(List<Call> calls, Frame<FlowValue>[] frames) {
    List<Call> resolved = new ArrayList<>(calls.size());
    for (Call call : calls) {
      Frame<FlowValue> frame = frames[call.index()];
      String origin = null;
      if (frame != null) {
        int arguments = Type.getArgumentTypes(call.insn().desc).length;
        origin = frame.getStack(frame.getStackSize() - 1 - arguments).origin;
      }
      resolved.add(new Call(call.index(), call.insn(), call.op(), origin));
    }
    return resolved;
  }

  /** The analyzer of the first pass, which also records the normal control flow. */
  private static final class EdgeRecorder extends Analyzer<FlowValue> {
    private final InsnList instructions;
    private final int[][] successors;
    private final int[] counts;

    EdgeRecorder(MethodNode method, Map<AbstractInsnNode, Long> checkBits,
        Map<AbstractInsnNode, Long> implied) {
      super(new FlowInterpreter(method.instructions, checkBits, implied));
      this.instructions = method.instructions;
      int size = method.instructions.size();
      this.successors = new int[size][];
      this.counts = new int[size];
    }

    @Override
    protected void newControlFlowEdge(int insnIndex, int successorIndex) {
      int[] next = successors[insnIndex];
      int count = counts[insnIndex];
      if (next == null) {
        next = new int[2];
        successors[insnIndex] = next;
      }
      for (int i = 0; i < count; i++) {
        if (next[i] == successorIndex) {
          return;
        }
      }
      if (count == next.length) {
        next = Arrays.copyOf(next, count * 2);
        successors[insnIndex] = next;
      }
      next[count] = successorIndex;
      counts[insnIndex] = count + 1;
    }

    ControlRegions regions(Frame<FlowValue>[] frames) {
      int size = successors.length;
      int[][] exact = new int[size][];
      boolean[] exits = new boolean[size];
      for (int i = 0; i < size; i++) {
        exact[i] = successors[i] == null ? null : Arrays.copyOf(successors[i], counts[i]);
        int opcode = instructions.get(i).getOpcode();
        exits[i] = frames[i] != null && (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN
            || opcode == Opcodes.ATHROW);
      }
      return new ControlRegions(exact, exits);
    }

  }
}
