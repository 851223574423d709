package dev.lockguard.agent.lockorder;

import dev.lockguard.agent.core.Bytecode;

import dev.lockguard.internal.core.Sites;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the lock sites of one method so that they call {@code dev.lockguard.internal.lockorder.Hooks}.
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
  private static final String HOOKS = "dev/lockguard/internal/lockorder/Hooks";
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
  /** With an explicit monitor: the protected range being written, or null after a return. */
  private Label openRange;
  /** With an explicit monitor: the closed protected ranges, start and end. */
  private final java.util.List<Label[]> ranges = new java.util.ArrayList<>();

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
   * Whether a synchronized method can take its monitor in bytecode: an instance method (its
   * monitor is {@code this}, in local 0 for the whole method), with frames we can write (Java 6).
   * A static method's monitor would have to be loaded twice with {@code ldc}, and the JIT only
   * matches a {@code monitorexit} with its {@code monitorenter} when both use one value (a local
   * or a {@code dup}): it would refuse to compile the method. So static synchronized methods keep
   * their modifier, and are checked right after the JVM took their monitor.
   */
  static boolean canMakeMonitorExplicit(LockSiteClassVisitor owner, int access) {
    return (access & Opcodes.ACC_SYNCHRONIZED) != 0
        && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) == 0
        && owner.version >= Opcodes.V1_6;
  }

  // ---- synchronized methods -------------------------------------------------------------------

  @Override
  public void visitCode() {
    super.visitCode();
    if (explicitMonitor) {
      methodSite = register(null);
      // Hooks.monitorEnter(m, site); monitorenter m;  -- and the body's range starts right here
      loadMethodMonitor();                                     // Stack[1]: m
      super.visitInsn(Opcodes.DUP);                            // Stack[2]: m, m
      pushInt(methodSite);                                     // Stack[3]: m, m, I
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter",
          "(Ljava/lang/Object;I)V", false);                  // Stack[1]: m
      super.visitInsn(Opcodes.MONITORENTER);                   // Stack[0]
      openRange = new Label();
      super.visitLabel(openRange);
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
    if (explicitMonitor) {
      releaseOnEveryException();
    } else if (synchronizedMethod) {
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

  /**
   * The catch-all handler of a method whose monitor our bytecode took, shaped as javac shapes
   * a {@code synchronized} block's so that the JIT can match the monitors: the protected ranges
   * stop before each return, and the handler covers its own release.
   *
   * <pre>
   * } catch (Throwable t) { Hooks.monitorExit(m); monitorexit m; throw t; }
   * </pre>
   */
  private void releaseOnEveryException() {
    if (openRange != null) {
      closeRange();
    }
    Label handler = new Label();
    Label handlerEnd = new Label();
    for (Label[] range : ranges) {
      super.visitTryCatchBlock(range[0], range[1], handler, null);
    }
    super.visitTryCatchBlock(handler, handlerEnd, handler, null);
    super.visitLabel(handler);
    Object[] locals = staticMethod ? new Object[0] : new Object[] {owner.internalName};
    super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1,
        new Object[] {"java/lang/Throwable"});
    releaseMethodMonitor();                                    // Stack[1]: Throwable
    super.visitLabel(handlerEnd);
    super.visitInsn(Opcodes.ATHROW);
  }

  /** Opens a protected range at the next instruction, after a return closed the last one. */
  private void ensureRangeOpen() {
    if (explicitMonitor && openRange == null) {
      openRange = new Label();
      super.visitLabel(openRange);
    }
  }

  private void closeRange() {
    Label end = new Label();
    super.visitLabel(end);
    ranges.add(new Label[] {openRange, end});
    openRange = null;
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
    if (!isReturn(opcode)) {
      ensureRangeOpen();
    }
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
        if (explicitMonitor) {
          ensureRangeOpen();
          releaseMethodMonitor();
          closeRange(); // the return itself stays outside the range, as javac leaves it
        } else if (synchronizedMethod) {
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

  /**
   * {@code Hooks.monitorEnter(lock, site); monitorenter lock;} The hook checks the order and
   * records the lock as held before the thread blocks: nothing may run between
   * {@code monitorenter} and the start of javac's exception range, or the JIT sees a call that
   * could throw while the monitor is held with no handler to release it, and refuses to compile
   * the method (it then runs interpreted, ten times slower).
   */
  private void monitorEnter() {
    int site = register(lastLoaded);
    super.visitInsn(Opcodes.DUP);                              // Stack[2]: lock, lock
    pushInt(site);                                             // Stack[3]: lock, lock, I
    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter",
        "(Ljava/lang/Object;I)V", false);                    // Stack[1]: lock
    super.visitInsn(Opcodes.MONITORENTER);                     // Stack[0]
    // A thread blocked in monitorenter is shown at the next instruction, which the JIT compiles
    // to nothing; without it thread dumps (and DEADLOCK reports) would point one line too far.
    super.visitInsn(Opcodes.NOP);
    owner.siteRewritten();
  }

  // ---- Lock, Condition and Object.wait calls --------------------------------------------------

  @Override
  public void visitMethodInsn(
      int opcode, String callOwner, String name, String descriptor, boolean isInterface) {
    ensureRangeOpen();
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
    ensureRangeOpen();
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
    ensureRangeOpen();
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
    ensureRangeOpen();
    super.visitVarInsn(opcode, varIndex);
    boolean primitiveLoad = opcode >= Opcodes.ILOAD && opcode <= Opcodes.DLOAD;
    if (opcode != Opcodes.ASTORE && !primitiveLoad) {
      lastLoaded = null; // javac's "dup; astore n; monitorenter" keeps the name
    }
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    ensureRangeOpen();
    super.visitTypeInsn(opcode, type);
    if (opcode != Opcodes.CHECKCAST) {
      lastLoaded = null;
    }
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    ensureRangeOpen();
    super.visitIntInsn(opcode, operand);
    if (opcode == Opcodes.NEWARRAY) {
      lastLoaded = null; // BIPUSH and SIPUSH push primitive arguments: the name stays
    }
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    ensureRangeOpen();
    super.visitJumpInsn(opcode, label);
    lastLoaded = null;
  }

  @Override
  public void visitLabel(Label label) {
    super.visitLabel(label);
    lastLoaded = null;
  }

  @Override
  public void visitIincInsn(int varIndex, int increment) {
    ensureRangeOpen();
    super.visitIincInsn(varIndex, increment);
  }

  @Override
  public void visitInvokeDynamicInsn(String name, String descriptor,
      org.objectweb.asm.Handle bootstrap, Object... arguments) {
    ensureRangeOpen();
    super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
    lastLoaded = null;
  }

  @Override
  public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    ensureRangeOpen();
    super.visitTableSwitchInsn(min, max, dflt, labels);
    lastLoaded = null;
  }

  @Override
  public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    ensureRangeOpen();
    super.visitLookupSwitchInsn(dflt, keys, labels);
    lastLoaded = null;
  }

  @Override
  public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
    ensureRangeOpen();
    super.visitMultiANewArrayInsn(descriptor, numDimensions);
    lastLoaded = null;
  }

  private static boolean isReturn(int opcode) {
    return opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN;
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
