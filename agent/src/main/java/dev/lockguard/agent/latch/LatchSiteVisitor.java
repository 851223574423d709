package dev.lockguard.agent.latch;

import dev.lockguard.agent.core.Bytecode;

import dev.lockguard.internal.core.Sites;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the latch sites of one method so that they call {@code
 * dev.lockguard.internal.latch.LatchHooks}.
 *
 * <ul>
 *   <li>Calls of {@code CountDownLatch.await/countDown}, {@code CyclicBarrier.await/reset} and
 *       {@code Phaser.arrive*}/{@code awaitAdvance*} are replaced by the static hook of the same
 *       name, which takes the receiver, the arguments and the site id and makes the call itself.
 *   <li>Before a set, clear or await of an {@code Event} (or a {@code latches=} class) the site
 *       is announced with {@code LatchHooks.callSite(site)}; the event reports the call itself.
 *   <li>A {@code putfield}/{@code putstatic} into a field of a latch type first calls {@code
 *       LatchHooks.fieldStore(new, old, site)}; in a constructor, where the object may not be
 *       initialized yet and its fields cannot be read, {@code fieldInit(new, site)}.
 * </ul>
 *
 * <p>Each site is named after the latch-typed field the receiver was loaded from, when the
 * bytecode shows it: the arguments pushed after the receiver (constants, locals, a {@code
 * TimeUnit}) keep that name.
 */
final class LatchSiteVisitor extends MethodVisitor {
  private static final String HOOKS = LatchTypes.HOOKS;
  private static final String OBJECT = LatchTypes.OBJECT;

  private final LatchClassVisitor owner;
  private final String methodName;
  private final boolean constructor;
  private int line = -1;
  /** {@code Owner.field} of the latch last loaded in the expression being evaluated, or null. */
  private String lastLatchField;

  LatchSiteVisitor(MethodVisitor next, LatchClassVisitor owner, String methodName) {
    super(Opcodes.ASM9, next);
    this.owner = owner;
    this.methodName = methodName;
    this.constructor = methodName.equals("<init>");
  }

  @Override
  public void visitLineNumber(int lineNumber, Label start) {
    line = lineNumber;
    super.visitLineNumber(lineNumber, start);
  }

  // ---- calls ----------------------------------------------------------------------------------

  @Override
  public void visitMethodInsn(
      int opcode, String callOwner, String name, String descriptor, boolean isInterface) {
    if (opcode == Opcodes.INVOKEVIRTUAL) {
      String receiver = receiverDescriptor(callOwner, name + descriptor);
      if (receiver != null) {
        // receiver.name(args)  ->  LatchHooks.name(receiver, args, site)
        owner.siteRewritten();
        pushInt(register(lastLatchField));                     // Stack[+1]: I
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, name,
            withReceiver(receiver, descriptor), false);
        lastLatchField = null;
        return;
      }
      if (owner.types.isEventCall(callOwner, name)) {
        // LatchHooks.callSite(site); receiver.name(args);
        owner.siteRewritten();
        pushInt(register(lastLatchField));                     // Stack[+1]: I
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "callSite", "(I)V", false);
      }
    }
    super.visitMethodInsn(opcode, callOwner, name, descriptor, isInterface);
    lastLatchField = null;
  }

  /** The receiver's descriptor when the call has a hook, else null. */
  private static String receiverDescriptor(String callOwner, String nameAndDescriptor) {
    switch (callOwner) {
      case LatchTypes.COUNT_DOWN_LATCH -> {
        return switch (nameAndDescriptor) {
          case "await()V", "await(JLjava/util/concurrent/TimeUnit;)Z", "countDown()V" ->
              "L" + callOwner + ";";
          default -> null;
        };
      }
      case LatchTypes.CYCLIC_BARRIER -> {
        return switch (nameAndDescriptor) {
          case "await()I", "await(JLjava/util/concurrent/TimeUnit;)I", "reset()V" ->
              "L" + callOwner + ";";
          default -> null;
        };
      }
      case LatchTypes.PHASER -> {
        return switch (nameAndDescriptor) {
          case "arrive()I", "arriveAndDeregister()I", "arriveAndAwaitAdvance()I",
              "awaitAdvance(I)I", "awaitAdvanceInterruptibly(I)I",
              "awaitAdvanceInterruptibly(IJLjava/util/concurrent/TimeUnit;)I" ->
              "L" + callOwner + ";";
          default -> null;
        };
      }
      default -> {
        return null;
      }
    }
  }

  private static String withReceiver(String receiver, String descriptor) {
    int close = descriptor.indexOf(')');
    return "(" + receiver + descriptor.substring(1, close) + "I" + descriptor.substring(close);
  }

  // ---- fields ---------------------------------------------------------------------------------

  @Override
  public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
    boolean latch = owner.types.isLatchDescriptor(descriptor);
    if (!latch) {
      if (opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC) {
        lastLatchField = null;
      }
      super.visitFieldInsn(opcode, fieldOwner, name, descriptor); // a TimeUnit argument keeps the name
      return;
    }
    String field = Bytecode.simpleName(fieldOwner) + "." + name;
    if (opcode == Opcodes.PUTSTATIC || opcode == Opcodes.PUTFIELD) {
      owner.siteRewritten();
    }
    switch (opcode) {
      case Opcodes.PUTSTATIC -> storeStatic(fieldOwner, name, descriptor, register(field));
      case Opcodes.PUTFIELD -> {
        if (constructor) {
          initField(register(field));
        } else {
          storeField(fieldOwner, name, descriptor, register(field));
        }
      }
      default -> {
        super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
        lastLatchField = field;
        return;
      }
    }
    super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
    lastLatchField = null;
  }

  /** {@code LatchHooks.fieldStore(value, Owner.field, site)} before {@code putstatic}. */
  private void storeStatic(String fieldOwner, String name, String descriptor, int site) {
    super.visitInsn(Opcodes.DUP);                              // Stack[2]: value, value
    super.visitFieldInsn(Opcodes.GETSTATIC, fieldOwner, name, descriptor); // value, value, old
    pushInt(site);                                             // Stack[4]: value, value, old, I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "fieldStore",
        "(" + OBJECT + OBJECT + "I)V", false);                 // Stack[1]: value
  }

  /** {@code LatchHooks.fieldStore(value, object.field, site)} before {@code putfield}. */
  private void storeField(String fieldOwner, String name, String descriptor, int site) {
    super.visitInsn(Opcodes.DUP2);                             // Stack[4]: obj, value, obj, value
    super.visitInsn(Opcodes.SWAP);                             // Stack[4]: obj, value, value, obj
    super.visitFieldInsn(Opcodes.GETFIELD, fieldOwner, name, descriptor); // obj, value, value, old
    pushInt(site);                                             // Stack[5]: ..., value, old, I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "fieldStore",
        "(" + OBJECT + OBJECT + "I)V", false);                 // Stack[2]: obj, value
  }

  /** {@code LatchHooks.fieldInit(value, site)} before a constructor's {@code putfield}. */
  private void initField(int site) {
    super.visitInsn(Opcodes.DUP);                              // Stack[3]: obj, value, value
    pushInt(site);                                             // Stack[4]: obj, value, value, I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "fieldInit",
        "(" + OBJECT + "I)V", false);                          // Stack[2]: obj, value
  }

  // ---- what keeps the receiver's name ---------------------------------------------------------

  @Override
  public void visitInsn(int opcode) {
    super.visitInsn(opcode);
    boolean constant = opcode >= Opcodes.ACONST_NULL && opcode <= Opcodes.DCONST_1;
    boolean conversion = opcode >= Opcodes.I2L && opcode <= Opcodes.I2S;
    if (!constant && !conversion) {
      lastLatchField = null;
    }
  }

  @Override
  public void visitVarInsn(int opcode, int varIndex) {
    super.visitVarInsn(opcode, varIndex);
    if (opcode >= Opcodes.ISTORE) {
      lastLatchField = null;
    }
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    super.visitTypeInsn(opcode, type);
    if (opcode != Opcodes.CHECKCAST) {
      lastLatchField = null;
    }
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    super.visitJumpInsn(opcode, label);
    lastLatchField = null;
  }

  @Override
  public void visitInvokeDynamicInsn(String name, String descriptor,
      org.objectweb.asm.Handle bootstrap, Object... arguments) {
    super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    lastLatchField = null;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private int register(String latchField) {
    return Sites.register(owner.className, methodName, owner.sourceFile, line, latchField);
  }

  private void pushInt(int value) {
    Bytecode.pushInt(mv, value);
  }
}
