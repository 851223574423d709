package dev.lockguard.agent;

import dev.lockguard.runtime.Sites;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the lock sites of one method so that they call {@code dev.lockguard.runtime.Hooks}.
 *
 * <ul>
 *   <li>{@code MONITORENTER} gets a check before (while the thread can still not block) and a
 *       push after; {@code MONITOREXIT} a pop before.
 *   <li>A {@code synchronized} method, in a class being loaded, loses the modifier and takes its
 *       monitor with explicit {@code MONITORENTER}/{@code MONITOREXIT}, so that the check runs
 *       before the thread can block (and {@code policy=throw} can stop it). In a class that is
 *       retransformed (already loaded, such as the JDK's) modifiers cannot change, so the JVM
 *       takes the monitor first and the hook reports it as entered on entry. Either way the
 *       monitor is released before every return and in a catch-all handler that rethrows.
 *   <li>Calls of {@code Lock.lock/lockInterruptibly/tryLock/unlock/newCondition},
 *       {@code Condition.await*} and {@code Object.wait*} are replaced by a static hook that
 *       takes the receiver and the arguments, plus the site id, and makes the call itself.
 * </ul>
 *
 * <p>It also remembers the last field the bytecode loaded, so that a lock taken right after
 * {@code getfield Philosopher.left} is named {@code Philosopher.left}.
 */
final class LockSiteMethodVisitor extends MethodVisitor {
  private static final String HOOKS = "dev/lockguard/runtime/Hooks";
  private static final String LOCK_DESC = "Ljava/util/concurrent/locks/Lock;";
  private static final String CONDITION = "java/util/concurrent/locks/Condition";
  private static final String CONDITION_DESC = "Ljava/util/concurrent/locks/Condition;";

  private final LockSiteClassVisitor owner;
  private final String methodName;
  private final boolean synchronizedMethod;
  private final boolean staticMethod;
  /** The method's monitor is taken by our bytecode, not by the JVM. */
  private final boolean explicitMonitor;

  private int line = -1;
  /** {@code Owner.field} (or {@code Type.class}) of the value on top of the stack, if known. */
  private String lastLoaded;
  private int methodSite = -1;
  private final Label bodyStart = new Label();

  LockSiteMethodVisitor(MethodVisitor next, LockSiteClassVisitor owner, int access, String name,
      boolean explicitMonitor) {
    super(Opcodes.ASM9, next);
    this.owner = owner;
    this.methodName = name;
    this.synchronizedMethod = (access & Opcodes.ACC_SYNCHRONIZED) != 0
        && !(owner.version < Opcodes.V1_5 && (access & Opcodes.ACC_STATIC) != 0);
    this.staticMethod = (access & Opcodes.ACC_STATIC) != 0;
    this.explicitMonitor = explicitMonitor && synchronizedMethod;
  }

  /**
   * Whether a synchronized method can take its monitor in bytecode: it needs class literals
   * (Java 5) for a static method and frames we can write (Java 6) for the handler.
   */
  static boolean canMakeMonitorExplicit(LockSiteClassVisitor owner, int access) {
    return (access & Opcodes.ACC_SYNCHRONIZED) != 0
        && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
        && owner.version >= Opcodes.V1_6;
  }

  // ---- synchronized methods -------------------------------------------------------------------

  @Override
  public void visitCode() {
    super.visitCode();
    if (explicitMonitor) {
      methodSite = register(null);
      // Hooks.monitorEnter(m, site); monitorenter m; Hooks.monitorEntered(m, site);
      loadMethodMonitor();                                     // Stack[1]: m
      super.visitInsn(Opcodes.DUP);                            // Stack[2]: m, m
      pushInt(methodSite);                                     // Stack[3]: m, m, I
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter",
          "(Ljava/lang/Object;I)V", false);                  // Stack[1]: m
      super.visitInsn(Opcodes.MONITORENTER);                   // Stack[0]
      loadMethodMonitor();                                     // Stack[1]: m
      pushInt(methodSite);                                     // Stack[2]: m, I
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEntered",
          "(Ljava/lang/Object;I)V", false);                  // Stack[0]
      super.visitLabel(bodyStart);
      owner.siteRewritten();
    } else if (synchronizedMethod) {
      methodSite = register(null);
      // Hooks.methodMonitorEntered(this or Owner.class, site);
      loadMethodMonitor();                                     // Stack[1]: Object
      pushInt(methodSite);                                     // Stack[2]: Object, I
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "methodMonitorEntered",
          "(Ljava/lang/Object;I)V", false);                  // Stack[0]
      super.visitLabel(bodyStart);
      owner.siteRewritten();
    }
  }

  @Override
  public void visitLineNumber(int lineNumber, Label start) {
    if (line < 0 && methodSite > 0) {
      Sites.setLine(methodSite, lineNumber); // the method's first line is where it takes its monitor
    }
    line = lineNumber;
    super.visitLineNumber(lineNumber, start);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (synchronizedMethod) {
      // } catch (Throwable t) { Hooks.monitorExit(this); throw t; }  -- the last handler, so
      // the method's own handlers still come first.
      Label bodyEnd = new Label();
      Label handler = new Label();
      super.visitLabel(bodyEnd);
      super.visitTryCatchBlock(bodyStart, bodyEnd, handler, null);
      super.visitLabel(handler);
      if (owner.version >= Opcodes.V1_6) {
        Object[] locals = staticMethod ? new Object[0] : new Object[] {owner.internalName};
        super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1,
            new Object[] {"java/lang/Throwable"});
      }
      releaseMethodMonitor();                                  // Stack[1]: Throwable
      super.visitInsn(Opcodes.ATHROW);
    }
    super.visitMaxs(maxStack, maxLocals);
  }

  /** Hooks.monitorExit(m); and, when the monitor is ours to release, monitorexit m. */
  private void releaseMethodMonitor() {
    loadMethodMonitor();                                       // Stack[+1]: m
    if (explicitMonitor) {
      super.visitInsn(Opcodes.DUP);                            // Stack[+2]: m, m
    }
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit",
        "(Ljava/lang/Object;)V", false);
    if (explicitMonitor) {
      super.visitInsn(Opcodes.MONITOREXIT);                    // Stack[+0]
    }
  }

  private void loadMethodMonitor() {
    if (staticMethod) {
      super.visitLdcInsn(Type.getObjectType(owner.internalName));
    } else {
      super.visitVarInsn(Opcodes.ALOAD, 0);
    }
  }

  // ---- monitors and returns -------------------------------------------------------------------

  @Override
  public void visitInsn(int opcode) {
    switch (opcode) {
      case Opcodes.MONITORENTER -> monitorEnter();
      case Opcodes.MONITOREXIT -> {
        // Hooks.monitorExit(lock); monitorexit lock;
        super.visitInsn(Opcodes.DUP);                          // Stack[2]: lock, lock
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit",
            "(Ljava/lang/Object;)V", false);                 // Stack[1]: lock
        super.visitInsn(Opcodes.MONITOREXIT);
        owner.siteRewritten();
      }
      case Opcodes.IRETURN, Opcodes.LRETURN, Opcodes.FRETURN, Opcodes.DRETURN, Opcodes.ARETURN,
          Opcodes.RETURN -> {
        if (synchronizedMethod) {
          releaseMethodMonitor();
        }
        super.visitInsn(opcode);
      }
      default -> super.visitInsn(opcode);
    }
    if (!keepsReceiverName(opcode)) {
      lastLoaded = null;
    }
  }

  /**
   * Instructions that may stand between loading a lock and calling it without replacing it on
   * the stack: javac's {@code dup} before {@code monitorenter}, and the pushes of primitive
   * arguments ({@code tryLock(100, ...)}, {@code wait(0L)}).
   */
  private static boolean keepsReceiverName(int opcode) {
    return opcode == Opcodes.DUP
        || (opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.DCONST_1)
        || (opcode >= Opcodes.I2L && opcode <= Opcodes.I2S);
  }

  private void monitorEnter() {
    int site = register(lastLoaded);
    // Hooks.monitorEnter(lock, site); monitorenter lock; Hooks.monitorEntered(lock, site);
    super.visitInsn(Opcodes.DUP);                              // Stack[2]: lock, lock
    super.visitInsn(Opcodes.DUP);                              // Stack[3]: lock, lock, lock
    pushInt(site);                                             // Stack[4]: lock, lock, lock, I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter",
        "(Ljava/lang/Object;I)V", false);                    // Stack[2]: lock, lock
    super.visitInsn(Opcodes.MONITORENTER);                     // Stack[1]: lock
    pushInt(site);                                             // Stack[2]: lock, I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEntered",
        "(Ljava/lang/Object;I)V", false);                    // Stack[0]
    owner.siteRewritten();
  }

  // ---- Lock, Condition and Object.wait calls --------------------------------------------------

  @Override
  public void visitMethodInsn(
      int opcode, String callOwner, String name, String descriptor, boolean isInterface) {
    String hookDescriptor = hookFor(opcode, callOwner, name, descriptor);
    if (hookDescriptor == null) {
      boolean keepsName = isLockAccessor(name, descriptor);
      super.visitMethodInsn(opcode, callOwner, name, descriptor, isInterface);
      if (!keepsName) {
        lastLoaded = null;
      }
      return;
    }
    // receiver.name(args)  ->  Hooks.name(receiver, args, site)
    pushInt(register(lastLoaded));                             // Stack[+1]: I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hookName(name), hookDescriptor, false);
    owner.siteRewritten();
    lastLoaded = null;
  }

  /** The hook's descriptor for a call to replace, or null to leave the call alone. */
  private String hookFor(int opcode, String callOwner, String name, String descriptor) {
    if (opcode == Opcodes.INVOKEVIRTUAL && name.equals("wait")
        && (descriptor.equals("()V") || descriptor.equals("(J)V") || descriptor.equals("(JI)V"))) {
      return "(Ljava/lang/Object;" + descriptor.substring(1, descriptor.indexOf(')')) + "I)V";
    }
    if (opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE) {
      return null;
    }
    if (callOwner.equals(CONDITION)) {
      return switch (name + descriptor) {
        case "await()V", "await(JLjava/util/concurrent/TimeUnit;)Z", "awaitNanos(J)J",
            "awaitUninterruptibly()V", "awaitUntil(Ljava/util/Date;)Z" -> withReceiver(CONDITION_DESC, descriptor);
        default -> null;
      };
    }
    switch (name + descriptor) {
      case "lock()V", "lockInterruptibly()V", "tryLock()Z",
          "tryLock(JLjava/util/concurrent/TimeUnit;)Z", "unlock()V",
          "newCondition()Ljava/util/concurrent/locks/Condition;" -> {
        return owner.isLockType(callOwner) ? withReceiver(LOCK_DESC, descriptor) : null;
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

  private static String hookName(String name) {
    return name.equals("wait") ? "objectWait" : name;
  }

  /** {@code rw.readLock()} and {@code rw.writeLock()} keep the field name of {@code rw}. */
  private static boolean isLockAccessor(String name, String descriptor) {
    return (name.equals("readLock") || name.equals("writeLock")) && descriptor.startsWith("()");
  }

  // ---- naming: what the bytecode loaded last --------------------------------------------------

  @Override
  public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
    super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
    boolean load = opcode == Opcodes.GETFIELD || opcode == Opcodes.GETSTATIC;
    if (load && isArgumentType(descriptor)) {
      return; // TimeUnit.SECONDS or a Date pushed as an argument: the receiver keeps its name
    }
    boolean reference = descriptor.startsWith("L") || descriptor.startsWith("[");
    lastLoaded = load && reference ? simpleName(fieldOwner) + "." + name : null;
  }

  /** The reference types among the hooked calls' arguments. */
  private static boolean isArgumentType(String descriptor) {
    return descriptor.equals("Ljava/util/concurrent/TimeUnit;")
        || descriptor.equals("Ljava/util/Date;");
  }

  @Override
  public void visitLdcInsn(Object value) {
    super.visitLdcInsn(value);
    if (value instanceof Type type) {
      lastLoaded = type.getSort() == Type.OBJECT ? simpleName(type.getInternalName()) + ".class"
          : null;
    } else if (!(value instanceof Number)) {
      lastLoaded = null; // a number is a primitive argument: the receiver keeps its name
    }
  }

  @Override
  public void visitVarInsn(int opcode, int varIndex) {
    super.visitVarInsn(opcode, varIndex);
    boolean primitiveLoad = opcode >= Opcodes.ILOAD && opcode <= Opcodes.DLOAD;
    if (opcode != Opcodes.ASTORE && !primitiveLoad) {
      lastLoaded = null; // javac's "dup; astore n; monitorenter" keeps the name
    }
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    super.visitTypeInsn(opcode, type);
    if (opcode != Opcodes.CHECKCAST) {
      lastLoaded = null;
    }
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    super.visitIntInsn(opcode, operand);
    if (opcode == Opcodes.NEWARRAY) {
      lastLoaded = null; // BIPUSH and SIPUSH push primitive arguments: the name stays
    }
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    super.visitJumpInsn(opcode, label);
    lastLoaded = null;
  }

  @Override
  public void visitLabel(Label label) {
    super.visitLabel(label);
    lastLoaded = null;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private int register(String lockName) {
    return Sites.register(owner.className, methodName, owner.sourceFile, line, lockName);
  }

  private void pushInt(int value) {
    Bytecode.pushInt(mv, value);
  }

  private static String simpleName(String internalName) {
    return Bytecode.simpleName(internalName);
  }
}
