package dev.lockguard.agent.core;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Small bytecode helpers the method visitors share. */
public final class Bytecode {
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
}
