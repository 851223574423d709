package dev.lockguard.agent.classinit;

import dev.lockguard.agent.core.ClassScan;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The methods of a class that its static initializer calls, a few rounds deep (a helper that
 * calls a helper): its own static and private methods. A lock such a method takes is taken
 * inside the initialization, so the rewriter puts the lock hook in them too. Read before the
 * rewriting pass reaches them (javac puts {@code <clinit>} last), and only for a class whose
 * bytes may take a lock at all.
 */
final class InitCallees {
  private static final Set<String> LOCK_CALLS = Set.of("lock", "lockInterruptibly");

  private InitCallees() {}

  /**
   * The initializer's callees ({@code name + descriptor}) in {@code reader}'s class, {@code
   * owner}; empty, without reading code, when the class calls no method of its own or cannot
   * take a lock ({@link ClassScan}).
   */
  static Set<String> of(ClassReader reader, String owner, int rounds) {
    if (!ClassScan.refersToMethodOf(reader, owner)
        || !ClassScan.mayUseMonitors(reader) && !ClassScan.refersToName(reader, LOCK_CALLS)) {
      return Set.of();
    }
    Set<String> read = new HashSet<>();
    Set<String> pending = Set.of("<clinit>()V");
    for (int round = 0; round <= rounds && !pending.isEmpty(); round++) {
      Set<String> reading = pending;
      read.addAll(reading);
      Set<String> calls = new HashSet<>();
      reader.accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor,
            String signature, String[] exceptions) {
          return !reading.contains(name + descriptor) ? null : new MethodVisitor(Opcodes.ASM9) {
            @Override
            public void visitMethodInsn(int opcode, String methodOwner, String method,
                String methodDescriptor, boolean isInterface) {
              if (methodOwner.equals(owner) && !method.equals("<init>")
                  && (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKESPECIAL)) {
                calls.add(method + methodDescriptor);
              }
            }
          };
        }
      }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      calls.removeAll(read);
      pending = calls;
    }
    read.remove("<clinit>()V");
    return read;
  }
}
