package dev.lockguard.agent.classinit;

import dev.lockguard.internal.classinit.ClassInits;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What a class's static initializer touches of other classes, read from its bytecode: each
 * {@code new}, {@code getstatic}, {@code putstatic} and {@code invokestatic} of another class
 * (any of which initializes that class first), with its line, and the static or private methods
 * of the class itself it calls, whose touches count too.
 */
final class InitTouches {
  /** One touch of another class. */
  record Touch(String target, String member, String method, int line, byte how) {}

  private final String owner;
  private final List<Touch> touches = new ArrayList<>();
  private final Set<String> seenTargets = new LinkedHashSet<>();
  /** The class's own methods that the code read so far calls ({@code name + descriptor}). */
  final Set<String> ownCalls = new LinkedHashSet<>();

  /** @param owner the class's internal name */
  InitTouches(String owner) {
    this.owner = owner;
  }

  List<Touch> touches() {
    return touches;
  }

  /** A visitor that reads {@code method}'s touches into this, passing every instruction on. */
  MethodVisitor reader(MethodVisitor next, String method) {
    return new MethodVisitor(Opcodes.ASM9, next) {
      private int line;

      @Override
      public void visitLineNumber(int number, Label start) {
        line = number;
        super.visitLineNumber(number, start);
      }

      @Override
      public void visitTypeInsn(int opcode, String type) {
        if (opcode == Opcodes.NEW) {
          touch(type, null, method, line, ClassInits.MAKES);
        }
        super.visitTypeInsn(opcode, type);
      }

      @Override
      public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
        if (opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC) {
          touch(fieldOwner, name, method, line,
              opcode == Opcodes.GETSTATIC ? ClassInits.READS : ClassInits.WRITES);
        }
        super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
      }

      @Override
      public void visitMethodInsn(int opcode, String methodOwner, String name, String descriptor,
          boolean isInterface) {
        if (methodOwner.equals(owner) && !name.equals("<init>")
            && (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKESPECIAL)) {
          ownCalls.add(name + descriptor);
        } else if (opcode == Opcodes.INVOKESTATIC) {
          touch(methodOwner, name, method, line, ClassInits.CALLS);
        }
        super.visitMethodInsn(opcode, methodOwner, name, descriptor, isInterface);
      }
    };
  }

  /** Keeps the first touch of each other application class; the JDK's cannot be in a cycle. */
  private void touch(String target, String member, String method, int line, byte how) {
    if (target.equals(owner) || target.startsWith("java/") || target.startsWith("jdk/")
        || target.startsWith("sun/") || target.startsWith("[")) {
      return;
    }
    if (seenTargets.add(target)) {
      touches.add(new Touch(target.replace('/', '.'), member, method, line, how));
    }
  }
}
