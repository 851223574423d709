package dev.lockguard.agent.lockorder;

import static dev.lockguard.agent.lockorder.LockTypes.HOOKS;

import dev.lockguard.agent.core.Bytecode;
import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.SiteVisitor;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Points a method reference to a lock method ({@code lock::lock}, {@code Lock::unlock},
 * {@code condition::await}) at a bridge that calls the hook. The JDK spins the class behind a
 * method reference as a hidden class, which no agent sees: the call it makes would escape. A
 * lambda ({@code () -> lock.lock()}) needs nothing: its body is a method of the class itself.
 *
 * <p>Only {@code LambdaMetafactory.metafactory} is rewritten: {@code altMetafactory} makes
 * serializable references, whose deserialization checks the method they name.
 */
final class MethodRefVisitor extends SiteVisitor {
  private static final String METAFACTORY = "java/lang/invoke/LambdaMetafactory";

  private final LockTypes types;
  private final Bridges bridges;

  MethodRefVisitor(MethodVisitor next, MethodSites sites, LockTypes types, Bridges bridges) {
    super(next, sites);
    this.types = types;
    this.bridges = bridges;
  }

  @Override
  public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap,
      Object... arguments) {
    Handle target = lockMethodReferenced(bootstrap, arguments);
    if (target != null) {
      String receiver = types.hookReceiver(target.getOwner(), target.getName() + target.getDesc());
      if (receiver != null) {
        arguments = arguments.clone();
        arguments[1] = bridges.add(target, receiver, sites.register(null));
      }
    }
    super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
  }

  /** The virtual or interface method a plain {@code metafactory} call site refers to, or null. */
  private static Handle lockMethodReferenced(Handle bootstrap, Object[] arguments) {
    boolean metafactory = bootstrap.getOwner().equals(METAFACTORY)
        && bootstrap.getName().equals("metafactory") && arguments.length == 3;
    if (metafactory && arguments[1] instanceof Handle target
        && (target.getTag() == Opcodes.H_INVOKEVIRTUAL
            || target.getTag() == Opcodes.H_INVOKEINTERFACE)) {
      return target;
    }
    return null;
  }

  /**
   * The bridges one class needs, written when the class ends: private static synthetic methods
   * {@code lockguard$lock$0(ReentrantLock lock) { Hooks.lock(lock, site); }}.
   */
  static final class Bridges {
    private final List<Bridge> bridges = new ArrayList<>();
    private final String owner;
    private final boolean ownerIsInterface;

    Bridges(String owner, boolean ownerIsInterface) {
      this.owner = owner;
      this.ownerIsInterface = ownerIsInterface;
    }

    /** A handle to a new bridge that calls the hook standing for {@code target} at {@code site}. */
    Handle add(Handle target, String receiver, int site) {
      String name = "lockguard$" + target.getName() + "$" + bridges.size();
      String descriptor = "(L" + target.getOwner() + ";" + target.getDesc().substring(1);
      bridges.add(new Bridge(name, descriptor, target, receiver, site));
      return new Handle(Opcodes.H_INVOKESTATIC, owner, name, descriptor, ownerIsInterface);
    }

    /** Writes the bridges into the class. */
    void writeTo(ClassVisitor cv) {
      for (Bridge bridge : bridges) {
        String descriptor = bridge.descriptor;
        Handle target = bridge.target;
        MethodVisitor mv = cv.visitMethod(
            Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
            bridge.name, descriptor, null, null);
        mv.visitCode();
        int local = 0;
        for (Type argument : Type.getArgumentTypes(descriptor)) {
          mv.visitVarInsn(argument.getOpcode(Opcodes.ILOAD), local); // Stack[+1]: the argument
          local += argument.getSize();
        }
        Bytecode.pushInt(mv, bridge.site);                          // Stack[+1]: I
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, target.getName(),
            Bytecode.hookDescriptor(bridge.receiver, target.getDesc()), false);
        mv.visitInsn(Type.getReturnType(descriptor).getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
      }
    }

    private record Bridge(String name, String descriptor, Handle target, String receiver,
        int site) {}
  }
}
