package dev.lockguard.agent.classinit;

import dev.lockguard.agent.core.Bytecode;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Puts the class-initialization hooks around a {@code <clinit>}: {@code enter(id)} first, {@code
 * exit(id)} before each return, {@code lockInInitializer(lock, id)} before each {@code
 * monitorenter} and each {@code Lock.lock()} or {@code lockInterruptibly()}, and a catch-all
 * handler, the method's last, that calls {@code exit(id)} and rethrows. The Java it stands for:
 *
 * <pre>{@code
 * static {
 *   ClassInitHooks.enter(id);
 *   try { ...the initializer...; ClassInitHooks.exit(id); }
 *   catch (Throwable t) { ClassInitHooks.exit(id); throw t; }
 * }
 * }</pre>
 */
final class ClinitHooks extends MethodVisitor {
  static final String HOOKS = "dev/lockguard/internal/classinit/ClassInitHooks";
  /** The lock-order rewriter's hooks, which replace {@code Lock.lock()} calls. */
  private static final String LOCK_ORDER_HOOKS = "dev/lockguard/internal/lockorder/Hooks";
  /** The start of a descriptor whose first parameter is a lock of {@code java.util.concurrent}. */
  private static final String LOCKS = "(Ljava/util/concurrent/locks/";
  /**
   * The end of the descriptor of a lock-order hook that takes and returns the method's state
   * ({@code monitorEnter}, {@code lock}): the lock-order rewriter loads the state just before.
   */
  private static final String STATEFUL = "ILjava/lang/Object;)Ljava/lang/Object;";

  private final int id;
  private final int version;
  /** False in a method the initializer calls: only its locks get the hook. */
  private final boolean initializer;
  /** Whether the method's frames are read expanded: the handler's frame takes the same form. */
  private final boolean expandedFrames;
  private final Label bodyStart = new Label();
  /**
   * {@code Owner.field} while the value on the stack is that field's, loaded just before (javac's
   * {@code getstatic; dup; astore}, then the lock-order rewriter's {@code dup; push site; call
   * its hook}), so that the lock a {@code synchronized} block takes is named after its field;
   * null otherwise.
   */
  private String lockField;
  /** {@link #lockField} as it was before the last {@code ALOAD}, which may load the state. */
  private String beforeLoad;

  ClinitHooks(MethodVisitor next, int id, int version, boolean expandedFrames) {
    this(next, id, version, expandedFrames, true);
  }

  private ClinitHooks(MethodVisitor next, int id, int version, boolean expandedFrames,
      boolean initializer) {
    super(Opcodes.ASM9, next);
    this.id = id;
    this.version = version;
    this.expandedFrames = expandedFrames;
    this.initializer = initializer;
  }

  /**
   * The hooks of a method of class {@code id} that its initializer calls: only {@code
   * lockInInitializer} before each lock it takes, which does nothing once the class is
   * initialized.
   */
  static ClinitHooks locksOnly(MethodVisitor next, int id) {
    return new ClinitHooks(next, id, 0, false, false);
  }

  @Override
  public void visitCode() {
    super.visitCode();
    if (initializer) {
      hook("enter"); // ClassInitHooks.enter(id);
      mv.visitLabel(bodyStart);
    }
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode == Opcodes.RETURN && initializer) {
      hook("exit"); // ClassInitHooks.exit(id); return;
    } else if (opcode == Opcodes.MONITORENTER) {
      // Stack[1]: lock -> ClassInitHooks.lockInInitializer(lock, id, "Owner.field"); monitorenter
      mv.visitInsn(Opcodes.DUP);               // Stack[2]: lock, lock
      lockHook();                              // Stack[1]: lock
    }
    if (opcode != Opcodes.DUP && (opcode < Opcodes.ICONST_M1 || opcode > Opcodes.ICONST_5)) {
      lockField = null;
    }
    super.visitInsn(opcode);
  }

  @Override
  public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
    lockField = opcode == Opcodes.GETSTATIC || opcode == Opcodes.GETFIELD
        ? Bytecode.simpleName(owner) + "." + name : null;
    super.visitFieldInsn(opcode, owner, name, descriptor);
  }

  @Override
  public void visitVarInsn(int opcode, int varIndex) {
    beforeLoad = opcode == Opcodes.ALOAD ? lockField : null;
    if (opcode != Opcodes.ASTORE) {
      lockField = null;
    }
    super.visitVarInsn(opcode, varIndex);
  }

  @Override
  public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
      boolean isInterface) {
    if (owner.equals(LOCK_ORDER_HOOKS) && descriptor.endsWith(STATEFUL)) {
      lockField = beforeLoad; // the load of the method's state did not replace the lock
    }
    boolean lockCall = name.equals("lock") || name.equals("lockInterruptibly");
    if (lockCall && owner.equals(LOCK_ORDER_HOOKS) && descriptor.startsWith(LOCKS)
        && descriptor.endsWith("I)V")) {
      // The lock-order rewriter's Hooks.lock(lock, site): Stack[2]: lock, I
      mv.visitInsn(Opcodes.SWAP);              // Stack[2]: I, lock
      mv.visitInsn(Opcodes.DUP_X1);            // Stack[3]: lock, I, lock
      lockHook();                              // Stack[2]: lock, I
    } else if (lockCall && owner.equals(LOCK_ORDER_HOOKS) && descriptor.startsWith(LOCKS)
        && descriptor.endsWith(STATEFUL)) {
      // The same hook with the method's state (a callee of the initializer is not an
      // initializer, so it gets the stateful hooks): Stack[3]: lock, I, state
      mv.visitInsn(Opcodes.DUP_X2);            // Stack[4]: state, lock, I, state
      mv.visitInsn(Opcodes.POP);               // Stack[3]: state, lock, I
      mv.visitInsn(Opcodes.SWAP);              // Stack[3]: state, I, lock
      mv.visitInsn(Opcodes.DUP_X1);            // Stack[4]: state, lock, I, lock
      lockHook();                              // Stack[3]: state, lock, I
      mv.visitInsn(Opcodes.DUP2_X1);           // Stack[5]: lock, I, state, lock, I
      mv.visitInsn(Opcodes.POP2);              // Stack[3]: lock, I, state
    } else if (lockCall && descriptor.equals("()V") && owner.startsWith(LOCKS.substring(2))
        && opcode != Opcodes.INVOKESTATIC) {
      // lock.lock() itself, if no other rewriter replaced it: Stack[1]: lock
      mv.visitInsn(Opcodes.DUP);               // Stack[2]: lock, lock
      lockHook();                              // Stack[1]: lock
    }
    if (!owner.startsWith("dev/lockguard/internal/")) {
      lockField = null; // another rewriter's hook leaves the lock where it was
    }
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    if (opcode == Opcodes.NEWARRAY) {
      lockField = null;
    }
    super.visitIntInsn(opcode, operand);
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    lockField = null;
    super.visitTypeInsn(opcode, type);
  }

  @Override
  public void visitLdcInsn(Object value) {
    if (!(value instanceof Integer)) {
      lockField = null; // a site id is pushed as an int
    }
    super.visitLdcInsn(value);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (initializer) {
      Bytecode.catchAllWithoutLocals(mv, bodyStart, version, expandedFrames); // Stack[1]: Throwable
      hook("exit");                              // Stack[1]: Throwable
      mv.visitInsn(Opcodes.ATHROW);              // throw t;
    }
    super.visitMaxs(maxStack, maxLocals);
  }

  /**
   * {@code ClassInitHooks.lockInInitializer(lock, id, "Owner.field")} on the lock on top of the
   * stack: Stack[-1].
   */
  private void lockHook() {
    Bytecode.pushInt(mv, id);                  // Stack[+1]: I
    if (lockField != null) {
      mv.visitLdcInsn(lockField);              // Stack[+2]: I, String
    } else {
      mv.visitInsn(Opcodes.ACONST_NULL);       // Stack[+2]: I, null
    }
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "lockInInitializer",
        "(Ljava/lang/Object;ILjava/lang/String;)V", false); // Stack[-1]
  }

  /** {@code ClassInitHooks.name(id)}: Stack[+0]. */
  private void hook(String name) {
    Bytecode.pushInt(mv, id);                  // Stack[+1]: I
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, name, "(I)V", false);
  }
}
