package dev.lockguard.agent.core;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Small bytecode helpers the method visitors share. */
public final class Bytecode {
  private static final Object[] THROWABLE = {"java/lang/Throwable"};
  private static final Object[] NO_LOCALS = {};

  private Bytecode() {}

  /** Pushes an int constant with the shortest instruction ({@code iconst}, {@code bipush}, ...). */
  public static void pushInt(MethodVisitor mv, int value) {
    if (value >= -1 && value <= 5) {
      mv.visitInsn(Opcodes.ICONST_0 + value);
    } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
      mv.visitIntInsn(Opcodes.BIPUSH, value);
    } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
      mv.visitIntInsn(Opcodes.SIPUSH, value);
    } else {
      mv.visitLdcInsn(value);
    }
  }

  /** {@code Account} for {@code com/acme/Account}. */
  public static String simpleName(String internalName) {
    return internalName.substring(internalName.lastIndexOf('/') + 1);
  }

  /**
   * The descriptor of the static hook that replaces a call: the receiver first, then the call's
   * arguments and the site id; {@code (J)Z} called on a {@code Lock} becomes
   * {@code (Ljava/util/concurrent/locks/Lock;JI)Z}.
   */
  public static String hookDescriptor(String receiverDescriptor, String callDescriptor) {
    int close = callDescriptor.indexOf(')');
    return "(" + receiverDescriptor + callDescriptor.substring(1, close) + "I"
        + callDescriptor.substring(close);
  }

  /**
   * Ends a method's body, begun at {@code bodyStart}, and starts a catch-all handler for it, the
   * method's last, so that its own handlers still come first. After it:
   * {@code Stack[1]: Throwable}.
   *
   * @param version the class-file version: frames are written from Java 6 on
   * @param locals the locals at the handler
   */
  public static void catchAll(MethodVisitor mv, Label bodyStart, int version, Object... locals) {
    startHandler(mv, bodyStart);
    if (version >= Opcodes.V1_6) {
      handlerFrame(mv, locals);
    }
  }

  /**
   * {@link #catchAll} where no local is live at the handler (a {@code <clinit>}: static, no
   * arguments), with its frame in the form the method's other frames have: expanded ({@link
   * Opcodes#F_NEW}) or compressed ({@link Opcodes#F_FULL}).
   */
  public static void catchAllWithoutLocals(MethodVisitor mv, Label bodyStart, int version,
      boolean expandedFrames) {
    startHandler(mv, bodyStart);
    if (version >= Opcodes.V1_6) {
      mv.visitFrame(expandedFrames ? Opcodes.F_NEW : Opcodes.F_FULL, 0, NO_LOCALS, 1, THROWABLE);
    }
  }

  /** Ends the body begun at {@code bodyStart} and starts a catch-all handler for it, here. */
  private static void startHandler(MethodVisitor mv, Label bodyStart) {
    Label bodyEnd = new Label();
    Label handler = new Label();
    mv.visitLabel(bodyEnd);
    mv.visitTryCatchBlock(bodyStart, bodyEnd, handler, null);
    mv.visitLabel(handler);
  }

  /** The frame at a catch-all handler: {@code locals}, and the Throwable on the stack. */
  public static void handlerFrame(MethodVisitor mv, Object... locals) {
    mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, THROWABLE);
  }
}
