package dev.lockguard.agent.lockorder;

import static dev.lockguard.agent.lockorder.LockTypes.HOOKS;
import static dev.lockguard.agent.lockorder.LockTypes.OBJECT;

import dev.lockguard.agent.core.ClassScan;
import java.util.Arrays;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Gives a method a local variable that holds its thread's lock-order state, so that the hot hooks
 * ({@code synchronized}, {@code lock}, {@code unlock}) look the state up once per method
 * activation, not once per call: the local starts null at the method's entry; each such hook takes
 * it and returns the state, which the method stores back. A hot loop in one method then makes no
 * thread-local lookup at all.
 *
 * <p>The local takes the slot past the method's own ({@code max_locals} from its header), so no
 * other local moves. It goes last in the method's lock-order chain: every frame the class file had
 * and every frame the other lock-order visitors write passes through it and gains the local (as
 * {@code Object}, assigned on every path since it is stored before the method's first
 * instruction). Frames written after it (the catch-all handlers of other rewriters, at the
 * method's end) leave it unset, and nothing after them reads it.
 */
final class StateLocal extends MethodVisitor {
  /**
   * Methods longer than this keep the hooks without the local: HotSpot never compiles a method of
   * more than 8000 bytes ({@code HugeMethodLimit}), so the local would save little there, and
   * leaving them alone keeps the few bytes it adds per site from pushing a huge method past the
   * JVM's 64 KB limit.
   */
  static final int MAX_CODE_LENGTH = 8000;

  private static final Object[] STATE_TYPE = {"java/lang/Object"};

  private final int slot;

  private StateLocal(MethodVisitor next, int slot) {
    super(Opcodes.ASM9, next);
    this.slot = slot;
  }

  /**
   * The slot the state gets in method {@code name} with this code, or -1 when the method keeps
   * the hooks without it: a class initializer (it runs once, and the class-initialization
   * rewriter after this one reads the instructions before each of its {@code monitorenter}s),
   * unknown code, a huge method, or no one-byte slot left past its locals (the local's loads and
   * stores would take two bytes each).
   */
  static int slotFor(String name, ClassScan.Code code) {
    if (name.equals("<clinit>") || code == null || code.length() > MAX_CODE_LENGTH
        || code.maxLocals() > 255) {
      return -1;
    }
    return code.maxLocals();
  }

  /** Puts the state local in front of {@code next}, or returns {@code next} if {@code slot} < 0. */
  static MethodVisitor before(MethodVisitor next, int slot) {
    return slot < 0 ? next : new StateLocal(next, slot);
  }

  @Override
  public void visitCode() {
    super.visitCode();
    super.visitInsn(Opcodes.ACONST_NULL);                      // Stack[1]: null
    super.visitVarInsn(Opcodes.ASTORE, slot);                  // Stack[0]
  }

  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    if (type != Opcodes.F_NEW) {
      // The transformer reads frames expanded and the lock-order visitors write them so; a
      // compressed frame here would be a bug, better a failed rewrite than a VerifyError.
      throw new IllegalStateException("the state local needs expanded frames");
    }
    int slots = 0;
    for (int i = 0; i < numLocal; i++) {
      slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
    }
    if (slots > slot) {
      throw new IllegalStateException("a frame with more locals than the method's max_locals");
    }
    Object[] locals = Arrays.copyOf(local, numLocal + (slot - slots) + 1);
    Arrays.fill(locals, numLocal, locals.length - 1, Opcodes.TOP);
    locals[locals.length - 1] = STATE_TYPE[0];
    super.visitFrame(type, locals.length, locals, numStack, stack);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    super.visitMaxs(maxStack, Math.max(maxLocals, slot + 1));
  }

  // ---- the hook calls that use it (for the visitors ahead of it) --------------------------------

  /**
   * Calls the stateful form of the hook {@code name} on what {@code mv} has pushed: descriptor
   * {@code (args I)} plus the state; a hook that returns the state gets it stored back.
   *
   * @param arguments the hook's arguments before the state, as {@code Ljava/lang/Object;I}
   * @param returnsState whether the hook returns the state (the acquiring hooks do)
   */
  static void call(MethodVisitor mv, int slot, String name, String arguments,
      boolean returnsState) {
    mv.visitVarInsn(Opcodes.ALOAD, slot);                      // Stack[+1]: state
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, name,
        "(" + arguments + OBJECT + ")" + (returnsState ? OBJECT : "V"), false);
    if (returnsState) {
      mv.visitVarInsn(Opcodes.ASTORE, slot);                   // Stack[-1]
    }
  }
}
