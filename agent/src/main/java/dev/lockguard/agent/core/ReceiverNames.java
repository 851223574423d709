package dev.lockguard.agent.core;

import dev.lockguard.internal.core.LockNames;
import java.util.Arrays;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Names a lock, latch or queue after where the code got it: the one naming rule of every
 * rewriter. A lock taken right after {@code getfield Philosopher.left} is {@code Philosopher.left};
 * {@code synchronized (Registry.class)} is {@code Registry.class}; {@code synchronized (this)} in
 * an instance method of {@code Bulkhead} is {@code Bulkhead.this}; a lock returned by a no-argument
 * method is named after the field that method returns as it is ({@link Getters}: {@code
 * holder.getLock()} is {@code Holder.lock}), else after the method ({@code Execution.getLock()}).
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
 * <p>A named value stored in a local keeps its name there until the local is overwritten or a
 * join point may bring another value (a stack map frame; any label in a class file older than
 * Java 7, which has no frames to tell): {@code final ReentrantLock lock = this.lock; lock.lock();}
 * and Kotlin's inlined {@code synchronized(lock) { }} and {@code lock.withLock { }}, which store the
 * lock in a local first, are named after the field.
 *
 * <p>The queue check, which follows values by data flow, uses {@link #field} and {@link
 * #getterResult} for the name alone.
 */
public class ReceiverNames extends MethodVisitor {
  /** What one detector names a receiver after. */
  public interface Rules {
    /**
     * Whether a value of this type (a field's descriptor, a method's return type, the class's own
     * type for {@code this}, or {@code Ljava/lang/Class;} for a class literal) can be a receiver
     * the detector names.
     */
    boolean names(String descriptor);

    /** Whether a call returns a view of its receiver, which keeps its name ({@code readLock()}). */
    default boolean keepsName(String owner, String name, String descriptor) {
      return false;
    }
  }

  private static final String CLASS = "Ljava/lang/Class;";

  private final Rules rules;
  private final Getters getters;
  /** {@code Owner.this} when local 0 holds a nameable {@code this}, else null. */
  private final String thisName;
  /** Whether the class file has stack map frames, which mark every join point. */
  private final boolean framesMarkJoins;

  /**
   * The last named value, while it may still be a receiver: its name, or the {@link Getter} whose
   * result it is (resolved to a name when a site asks); else null.
   */
  private Object named;
  /** How many copies of the named value lie on top of each other ({@code dup}). */
  private int copies;
  /** How many references were pushed above the named value: arguments, or not its call's. */
  private int referencesAbove;
  /** What the locals hold, as {@link #named}, by local index; null where unknown. */
  private Object[] locals = new Object[8];
  /** Set once the method stores into local 0: from then on it may hold anything but this. */
  private boolean thisOverwritten;

  /** A visitor that names fields and class literals only (unit tests of the rule). */
  ReceiverNames(MethodVisitor next, Rules rules) {
    this(next, rules, null, Getters.NONE, true);
  }

  /**
   * @param thisName {@code Owner.this} if local 0 is a {@code this} to name, else null
   * @param getters what the no-argument methods the code calls return
   * @param framesMarkJoins true from Java 7 class files on, whose frames mark every join point
   */
  ReceiverNames(MethodVisitor next, Rules rules, String thisName, Getters getters,
      boolean framesMarkJoins) {
    super(Opcodes.ASM9, next);
    this.rules = rules;
    this.thisName = thisName;
    this.getters = getters;
    this.framesMarkJoins = framesMarkJoins;
  }

  /** {@code Account.lock} for field {@code lock} of {@code com/acme/Account}. */
  public static String field(String owner, String name) {
    return Bytecode.simpleName(owner) + "." + name;
  }

  /** {@code Account.class} for the class literal of {@code com/acme/Account}. */
  public static String classLiteral(String internalName) {
    return Bytecode.simpleName(internalName) + ".class";
  }

  /** {@code Account.this} for the instance of {@code com/acme/Account} a method runs on. */
  public static String self(String internalName) {
    return Bytecode.simpleName(internalName) + ".this";
  }

  /** {@code Execution.getLock()} for that method of {@code com/acme/Execution}. */
  public static String method(String owner, String name) {
    return Bytecode.simpleName(owner) + "." + name + "()";
  }

  /** The name of the value on top of the stack (a monitor's), or null. */
  public String receiverName() {
    return referencesAbove == 0 ? resolved() : null;
  }

  /** The name of the receiver of a call with this descriptor, its arguments pushed, or null. */
  public String receiverName(String callDescriptor) {
    int references = 0;
    for (Type argument : Type.getArgumentTypes(callDescriptor)) {
      references += argument.getSort() >= Type.ARRAY ? 1 : 0;
    }
    return referencesAbove == references ? resolved() : null;
  }

  /**
   * The named value's name; a getter is read only now, so that only a site pays for reading the
   * class that declares it.
   */
  private String resolved() {
    if (named instanceof Getter getter) {
      named = getterResult(getters, getter.owner, getter.name, getter.descriptor);
    }
    return (String) named;
  }

  /**
   * The name of what a no-argument method returns: the field it returns as it is ({@code
   * Holder.lock}), else the method ({@code Execution.getLock()}).
   */
  public static String getterResult(Getters getters, String owner, String name,
      String descriptor) {
    String field = getters.fieldReturnedBy(owner, name, descriptor);
    return field != null ? field : method(owner, name);
  }

  /** The value on top of the stack is named (a String) or a getter's result. */
  private void name(Object nameOrGetter) {
    named = nameOrGetter;
    copies = 1;
    referencesAbove = 0;
  }

  private void forget() {
    named = null;
    copies = 0;
    referencesAbove = 0;
  }

  // Each method forwards the instruction first: the rewriters after this visitor see the name
  // as it was before it.

  @Override
  public void visitInsn(int opcode) {
    super.visitInsn(opcode);
    boolean constant = opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.DCONST_1;
    boolean conversion = opcode >= Opcodes.I2L && opcode <= Opcodes.I2S;
    if (opcode == Opcodes.DUP && referencesAbove == 0) {
      copies++;
    } else if (!constant && !conversion) {
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
      load(varIndex);
    } else if (opcode == Opcodes.ASTORE) {
      store(varIndex);
    } else if (opcode > Opcodes.DLOAD) {
      // a primitive store; primitive loads push arguments
      setLocal(varIndex, null);
      if (opcode == Opcodes.LSTORE || opcode == Opcodes.DSTORE) {
        setLocal(varIndex + 1, null);
      }
      forget();
    }
  }

  /**
   * A reference local pushed: above a named value, an argument (a {@code TimeUnit}) or the
   * receiver of a call on a local; on an empty slate, the local's name if it has one.
   */
  private void load(int varIndex) {
    if (named != null) {
      referencesAbove++;
      return;
    }
    Object known = local(varIndex);
    if (known == null && varIndex == 0 && thisName != null && !thisOverwritten) {
      known = thisName; // javac and kotlinc never store into local 0 of an instance method
    }
    if (known != null) {
      name(known);
    }
  }

  /**
   * Above the named value: stores the reference pushed last. On it: the local takes its name, and
   * javac's {@code dup; astore n; monitorenter} keeps the copy on the stack named.
   */
  private void store(int varIndex) {
    if (referencesAbove > 0) {
      referencesAbove--;
      setLocal(varIndex, null);
      return;
    }
    setLocal(varIndex, named);
    if (--copies <= 0) {
      forget();
    }
  }

  private Object local(int index) {
    return index < locals.length ? locals[index] : null;
  }

  private void setLocal(int index, Object value) {
    if (index == 0) {
      thisOverwritten = true;
    }
    if (index >= locals.length) {
      if (value == null) {
        return;
      }
      locals = Arrays.copyOf(locals, Math.max(index + 1, locals.length * 2));
    }
    locals[index] = value;
  }

  @Override
  public void visitIincInsn(int varIndex, int increment) {
    super.visitIincInsn(varIndex, increment);
    setLocal(varIndex, null);
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
      if (opcode == Opcodes.GETSTATIC) {
        LockNames.declareStaticField(field(owner, field)); // one object in every JVM
      }
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
    if (referencesAbove == 0 && named != null && rules.keepsName(owner, method, descriptor)) {
      return; // rw.readLock() is rw
    }
    forget();
    if (isGetter(owner, descriptor)) {
      name(new Getter(owner, method, descriptor));
    }
  }

  /**
   * A call whose result may be named after it: no arguments (so no receiver pushed above hides),
   * a result the detector names, not a constructor, and not a {@code Class}, which the runtime
   * names better from the object itself.
   */
  private boolean isGetter(String owner, String descriptor) {
    if (!descriptor.startsWith("()") || owner.startsWith("[")) {
      return false;
    }
    String result = descriptor.substring(2);
    return !result.equals(CLASS) && rules.names(result);
  }

  @Override
  public void visitLabel(Label label) {
    super.visitLabel(label);
    forget();
    if (!framesMarkJoins) {
      forgetLocals();
    }
  }

  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    super.visitFrame(type, numLocal, local, numStack, stack);
    forgetLocals(); // a join point: another path may have stored another value
  }

  private void forgetLocals() {
    Arrays.fill(locals, null);
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

  /** A no-argument call whose result is on top of the stack. */
  private record Getter(String owner, String name, String descriptor) {}
}
