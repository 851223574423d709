package dev.lockguard.agent.classinit;

import org.objectweb.asm.Opcodes;

/**
 * Whether code outside a class's package can start its initialization, judged from its
 * declarations. A thread starts it by {@code new}, by a static field that is not a compile-time
 * constant (javac copies a constant into the code that reads it, so reading one starts nothing),
 * by a static method, or by initializing a subclass, which needs a constructor it can call.
 * Outside the package that takes a public class with a public or protected constructor, static
 * method or non-constant static field. Reflection ({@code Class.forName}) is not counted.
 */
final class EntryAccess {
  private boolean publicClass;
  private boolean open;

  /** The class's own access flags. */
  void visit(int access) {
    publicClass = (access & Opcodes.ACC_PUBLIC) != 0;
  }

  /** A field; {@code constant} if it has a {@code ConstantValue}. */
  void field(int access, boolean constant) {
    open |= (access & Opcodes.ACC_STATIC) != 0 && !constant && reachable(access);
  }

  /** A method or constructor. */
  void method(int access, String name) {
    boolean starts = name.equals("<init>")
        || (access & Opcodes.ACC_STATIC) != 0 && !name.equals("<clinit>");
    open |= starts && reachable(access);
  }

  /** Whether only code of the class's own package can start its initialization. */
  boolean packageOnly() {
    return !publicClass || !open;
  }

  private static boolean reachable(int access) {
    return (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0;
  }
}
