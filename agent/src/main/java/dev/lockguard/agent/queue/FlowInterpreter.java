package dev.lockguard.agent.queue;

import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.analysis.Interpreter;

/**
 * Carries queue origins and check results through a method, for ASM's {@code Analyzer}.
 *
 * <p>A check call's result is tainted with its bit; arithmetic and comparisons keep the taint, so
 * {@code q.size() < cap} and a boolean stored in a local still lead back to the check. Constants
 * pushed where a tainted branch decides (javac's {@code iconst_1 / iconst_0} for
 * {@code boolean full = q.size() >= cap}) take that branch's taint through {@code implied}: the
 * implicit flow of a materialised condition. Values do not flow through other calls.
 */
final class FlowInterpreter extends Interpreter<FlowValue> {
  private final InsnList instructions;
  private final Map<AbstractInsnNode, Long> checkBits;
  private final Map<AbstractInsnNode, Long> implied;

  FlowInterpreter(InsnList instructions, Map<AbstractInsnNode, Long> checkBits,
      Map<AbstractInsnNode, Long> implied) {
    super(Opcodes.ASM9);
    this.instructions = instructions;
    this.checkBits = checkBits;
    this.implied = implied;
  }

  @Override
  public FlowValue newValue(Type type) {
    if (type == null) {
      return FlowValue.ONE;
    }
    if (type.getSort() == Type.VOID) {
      return null;
    }
    return type.getSize() == 2 ? FlowValue.TWO : FlowValue.ONE;
  }

  @Override
  public FlowValue newParameterValue(boolean isInstanceMethod, int local, Type type) {
    return FlowValue.of(type.getSize(), "p" + local, 0L);
  }

  @Override
  public FlowValue newOperation(AbstractInsnNode insn) {
    switch (insn.getOpcode()) {
      case Opcodes.LCONST_0, Opcodes.LCONST_1, Opcodes.DCONST_0, Opcodes.DCONST_1:
        return FlowValue.TWO;
      case Opcodes.ICONST_0, Opcodes.ICONST_1:
        Long bits = implied.get(insn);
        return bits == null ? FlowValue.ONE : FlowValue.of(1, null, bits);
      case Opcodes.LDC:
        Object constant = ((LdcInsnNode) insn).cst;
        return constant instanceof Long || constant instanceof Double ? FlowValue.TWO : FlowValue.ONE;
      case Opcodes.GETSTATIC:
        FieldInsnNode field = (FieldInsnNode) insn;
        return fieldValue(field, FlowValue.fieldOrigin("", field.owner, field.name));
      case Opcodes.NEW:
        return FlowValue.reference(made(insn));
      default:
        return FlowValue.ONE;
    }
  }

  @Override
  public FlowValue copyOperation(AbstractInsnNode insn, FlowValue value) {
    return value;
  }

  @Override
  public FlowValue unaryOperation(AbstractInsnNode insn, FlowValue value) {
    switch (insn.getOpcode()) {
      case Opcodes.IFEQ, Opcodes.IFNE, Opcodes.IFLT, Opcodes.IFGE, Opcodes.IFGT, Opcodes.IFLE,
          Opcodes.IFNULL, Opcodes.IFNONNULL, Opcodes.TABLESWITCH, Opcodes.LOOKUPSWITCH,
          Opcodes.IRETURN, Opcodes.LRETURN, Opcodes.FRETURN, Opcodes.DRETURN, Opcodes.ARETURN,
          Opcodes.PUTSTATIC, Opcodes.ATHROW, Opcodes.MONITORENTER, Opcodes.MONITOREXIT:
        return null;
      case Opcodes.GETFIELD:
        FieldInsnNode field = (FieldInsnNode) insn;
        String base = value.origin != null ? value.origin : made(insn);
        return fieldValue(field, FlowValue.fieldOrigin(base, field.owner, field.name));
      case Opcodes.NEWARRAY, Opcodes.ANEWARRAY:
        return FlowValue.reference(made(insn));
      case Opcodes.CHECKCAST:
        return value;
      case Opcodes.ARRAYLENGTH, Opcodes.INSTANCEOF:
        return FlowValue.ONE;
      case Opcodes.LNEG, Opcodes.DNEG, Opcodes.I2L, Opcodes.I2D, Opcodes.L2D, Opcodes.F2L,
          Opcodes.F2D, Opcodes.D2L:
        return FlowValue.of(2, null, value.checks);
      default: // INEG, FNEG, IINC and the narrowing conversions keep the taint
        return FlowValue.of(1, null, value.checks);
    }
  }

  @Override
  public FlowValue binaryOperation(AbstractInsnNode insn, FlowValue value1, FlowValue value2) {
    switch (insn.getOpcode()) {
      case Opcodes.IALOAD, Opcodes.BALOAD, Opcodes.CALOAD, Opcodes.SALOAD, Opcodes.FALOAD:
        return FlowValue.ONE;
      case Opcodes.LALOAD, Opcodes.DALOAD:
        return FlowValue.TWO;
      case Opcodes.AALOAD:
        return FlowValue.reference(made(insn));
      case Opcodes.IF_ICMPEQ, Opcodes.IF_ICMPNE, Opcodes.IF_ICMPLT, Opcodes.IF_ICMPGE,
          Opcodes.IF_ICMPGT, Opcodes.IF_ICMPLE, Opcodes.IF_ACMPEQ, Opcodes.IF_ACMPNE,
          Opcodes.PUTFIELD:
        return null;
      case Opcodes.LADD, Opcodes.LSUB, Opcodes.LMUL, Opcodes.LDIV, Opcodes.LREM, Opcodes.LSHL,
          Opcodes.LSHR, Opcodes.LUSHR, Opcodes.LAND, Opcodes.LOR, Opcodes.LXOR, Opcodes.DADD,
          Opcodes.DSUB, Opcodes.DMUL, Opcodes.DDIV, Opcodes.DREM:
        return FlowValue.of(2, null, value1.checks | value2.checks);
      default: // int and float arithmetic, and the comparisons LCMP, FCMP*, DCMP*
        return FlowValue.of(1, null, value1.checks | value2.checks);
    }
  }

  @Override
  public FlowValue ternaryOperation(AbstractInsnNode insn, FlowValue value1, FlowValue value2,
      FlowValue value3) {
    return null;
  }

  @Override
  public FlowValue naryOperation(AbstractInsnNode insn, List<? extends FlowValue> values) {
    String descriptor;
    if (insn instanceof MethodInsnNode call) {
      descriptor = call.desc;
    } else if (insn instanceof InvokeDynamicInsnNode dynamic) {
      descriptor = dynamic.desc;
    } else {
      return FlowValue.reference(made(insn)); // MULTIANEWARRAY
    }
    Type returned = Type.getReturnType(descriptor);
    if (returned.getSort() == Type.VOID) {
      return null;
    }
    Long bits = checkBits.get(insn);
    String origin = null;
    if (isReference(returned)) {
      origin = descriptor.startsWith("()") && insn instanceof MethodInsnNode call
          ? FlowValue.getterOrigin(made(insn), call.owner, call.name, descriptor)
          : made(insn);
    }
    return FlowValue.of(returned.getSize(), origin, bits == null ? 0L : bits);
  }

  @Override
  public void returnOperation(AbstractInsnNode insn, FlowValue value, FlowValue expected) {
    // nothing flows out of the method
  }

  @Override
  public FlowValue merge(FlowValue value1, FlowValue value2) {
    return value1.merge(value2);
  }

  private FlowValue fieldValue(FieldInsnNode field, String origin) {
    Type type = Type.getType(field.desc);
    return isReference(type) ? FlowValue.reference(origin) : newValue(type);
  }

  /** The origin of a reference made by {@code insn}: the same at every pass over it. */
  private String made(AbstractInsnNode insn) {
    return "n" + instructions.indexOf(insn);
  }

  private static boolean isReference(Type type) {
    return type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY;
  }
}
