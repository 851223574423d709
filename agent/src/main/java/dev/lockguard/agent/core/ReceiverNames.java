package dev.lockguard.agent.core;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Names a lock, latch or queue after the field or class literal it was loaded from: the one
 * naming rule of every rewriter. A lock taken right after {@code getfield Philosopher.left} is
 * {@code Philosopher.left}; {@code synchronized (Registry.class)} is {@code Registry.class}.
 *
 * <p>As a method visitor it goes first in a method's chain and follows the original code; a
 * rewriter after it asks {@link #receiverName()} at the {@code monitorenter}, or
 * {@link #receiverName(String)} at the call, it rewrites. It is a peephole, not a data flow: the
 * last named value keeps its name only through what may stand between a receiver and its call
 * without replacing it: the pushes of the call's arguments (constants, primitive and reference
 * locals, primitive, {@code TimeUnit} and {@code Date} fields), javac's {@code dup; astore n}
 * before {@code monitorenter}, a {@code checkcast}, {@code rw.readLock()}. It counts the
 * references pushed above the named value, so that a call whose arguments are not all of them
 * ({@code list.add(local.tryLock())}) is not named after what lies below. Any other instruction,
 * and any label (a join point may bring another value), forgets the name.
 *
 * <p>The queue check, which follows values by data flow, uses {@link #field} for the name alone.
 */
public class ReceiverNames extends MethodVisitor {
  /** What one detector names a receiver after. */
  public interface Rules {
    /**
     * Whether a value of this type (a field's descriptor, or {@code Ljava/lang/Class;} for a
     * class literal) can be a receiver the detector names.
     */
    boolean names(String descriptor);

    /** Whether a call returns a view of its receiver, which keeps its name ({@code readLock()}). */
    default boolean keepsName(String owner, String name, String descriptor) {
      return false;
    }
  }

  private static final String CLASS = "Ljava/lang/Class;";

  private final Rules rules;
  /** The name of the last named value, while it may still be a receiver; else null. */
  private String name;
  /** How many references were pushed above the named value: arguments, or not its call's. */
  private int referencesAbove;

  ReceiverNames(MethodVisitor next, Rules rules) {
    super(Opcodes.ASM9, next);
    this.rules = rules;
  }

  /** {@code Account.lock} for field {@code lock} of {@code com/acme/Account}. */
  public static String field(String owner, String name) {
    return Bytecode.simpleName(owner) + "." + name;
  }

  /** {@code Account.class} for the class literal of {@code com/acme/Account}. */
  public static String classLiteral(String internalName) {
    return Bytecode.simpleName(internalName) + ".class";
  }

  /** The name of the value on top of the stack (a monitor's), or null. */
  public String receiverName() {
    return referencesAbove == 0 ? name : null;
  }

  /** The name of the receiver of a call with this descriptor, its arguments pushed, or null. */
  public String receiverName(String callDescriptor) {
    int references = 0;
    for (Type argument : Type.getArgumentTypes(callDescriptor)) {
      references += argument.getSort() >= Type.ARRAY ? 1 : 0;
    }
    return referencesAbove == references ? name : null;
  }

  private void name(String fieldOrClass) {
    name = fieldOrClass;
    referencesAbove = 0;
  }

  private void forget() {
    name = null;
    referencesAbove = 0;
  }

  // Each method forwards the instruction first: the rewriters after this visitor see the name
  // as it was before it.

  @Override
  public void visitInsn(int opcode) {
    super.visitInsn(opcode);
    boolean constant = opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.DCONST_1;
    boolean conversion = opcode >= Opcodes.I2L && opcode <= Opcodes.I2S;
    boolean dupOfNamed = opcode == Opcodes.DUP && referencesAbove == 0;
    if (!constant && !conversion && !dupOfNamed) {
      forget();
    }
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    super.visitIntInsn(opcode, operand);
    if (opcode == Opcodes.NEWARRAY) {
      forget(); // BIPUSH and SIPUSH push primitive arguments
    }
  }

  @Override
  public void visitVarInsn(int opcode, int varIndex) {
    super.visitVarInsn(opcode, varIndex);
    if (opcode == Opcodes.ALOAD) {
      referencesAbove++; // a TimeUnit argument, or the receiver of a call on a local
    } else if (opcode == Opcodes.ASTORE) {
      // above the named value: stores the reference pushed last; on it: javac's
      // "dup; astore n; monitorenter" keeps the name
      referencesAbove = Math.max(0, referencesAbove - 1);
    } else if (opcode > Opcodes.DLOAD) {
      forget(); // a primitive store; primitive loads push arguments
    }
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    super.visitTypeInsn(opcode, type);
    if (opcode != Opcodes.CHECKCAST) {
      forget();
    }
  }

  @Override
  public void visitFieldInsn(int opcode, String owner, String field, String descriptor) {
    super.visitFieldInsn(opcode, owner, field, descriptor);
    boolean load = opcode == Opcodes.GETFIELD || opcode == Opcodes.GETSTATIC;
    if (load && rules.names(descriptor) && !isArgument(descriptor)) {
      name(field(owner, field));
    } else if (!load || !isArgument(descriptor)) {
      forget();
    } else if (opcode == Opcodes.GETFIELD && referencesAbove == 0) {
      forget(); // a field of the named value itself
    } else {
      // an argument: a timeout, TimeUnit.SECONDS, this.unit (which replaces this)
      int popped = opcode == Opcodes.GETFIELD ? 1 : 0;
      int pushed = descriptor.length() == 1 ? 0 : 1;
      referencesAbove += pushed - popped;
    }
  }

  /** The types of the hooked calls' arguments: primitives, {@code TimeUnit} and {@code Date}. */
  private static boolean isArgument(String descriptor) {
    return descriptor.length() == 1
        || descriptor.equals("Ljava/util/concurrent/TimeUnit;")
        || descriptor.equals("Ljava/util/Date;");
  }

  @Override
  public void visitLdcInsn(Object value) {
    super.visitLdcInsn(value);
    if (value instanceof Type type && type.getSort() == Type.OBJECT && rules.names(CLASS)) {
      name(classLiteral(type.getInternalName()));
    } else if (!(value instanceof Number)) {
      forget(); // a number is a primitive argument
    }
  }

  @Override
  public void visitMethodInsn(
      int opcode, String owner, String method, String descriptor, boolean isInterface) {
    super.visitMethodInsn(opcode, owner, method, descriptor, isInterface);
    if (referencesAbove > 0 || !rules.keepsName(owner, method, descriptor)) {
      forget();
    }
  }

  @Override
  public void visitLabel(Label label) {
    super.visitLabel(label);
    forget();
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    super.visitJumpInsn(opcode, label);
    forget();
  }

  @Override
  public void visitInvokeDynamicInsn(String indyName, String descriptor, Handle bootstrap,
      Object... arguments) {
    super.visitInvokeDynamicInsn(indyName, descriptor, bootstrap, arguments);
    forget();
  }

  @Override
  public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    super.visitTableSwitchInsn(min, max, dflt, labels);
    forget();
  }

  @Override
  public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    super.visitLookupSwitchInsn(dflt, keys, labels);
    forget();
  }

  @Override
  public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
    super.visitMultiANewArrayInsn(descriptor, numDimensions);
    forget();
  }
}
