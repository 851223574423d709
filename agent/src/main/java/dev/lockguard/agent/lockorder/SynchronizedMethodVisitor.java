package dev.lockguard.agent.lockorder;

import static dev.lockguard.agent.lockorder.LockTypes.HOOKS;
import static dev.lockguard.agent.lockorder.LockTypes.OBJECT;

import dev.lockguard.agent.core.Bytecode;
import dev.lockguard.agent.core.MethodSites;
import dev.lockguard.agent.core.SiteVisitor;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the entry and exits of a {@code synchronized} method.
 *
 * <p>In a class being loaded, an instance method loses the modifier and takes its monitor with
 * explicit {@code MONITORENTER}/{@code MONITOREXIT}, so that the check runs before the thread can
 * block (and {@code policy=throw} can stop it). In a class that is retransformed (already loaded,
 * such as the JDK's) modifiers cannot change, so the JVM takes the monitor first and the hook
 * reports it as entered on entry; so it is for static methods (see
 * {@link #canMakeMonitorExplicit}). Either way the monitor is released before every return and in
 * a catch-all handler that rethrows.
 *
 * <p>It goes last in the method's chain, so that the protected ranges it writes cover what the
 * other rewriters insert.
 */
final class SynchronizedMethodVisitor extends SiteVisitor {
  private final String internalName;
  private final int version;
  private final boolean staticMethod;
  /** The method's monitor is taken by our bytecode, not by the JVM. */
  private final boolean explicitMonitor;
  /** The method's {@link StateLocal} slot, or -1 without one. */
  private final int state;

  private int site;
  private boolean lineKnown;
  /** Where the monitor is taken, before the method's first line: it gets that line too. */
  private final Label entry = new Label();
  private final Label bodyStart = new Label();
  /** With an explicit monitor: the protected range being written, or null after a return. */
  private Label openRange;
  /** With an explicit monitor: the closed protected ranges, start and end. */
  private final List<Label[]> ranges = new ArrayList<>();

  /**
   * @param access the method's flags as the class file had them
   * @param internalName the class's internal name
   * @param version the class-file version
   * @param state the method's {@link StateLocal} slot, or -1 without one
   */
  SynchronizedMethodVisitor(MethodVisitor next, MethodSites sites, int access,
      String internalName, int version, boolean explicitMonitor, int state) {
    super(next, sites);
    this.state = state;
    this.internalName = internalName;
    this.version = version;
    this.staticMethod = (access & Opcodes.ACC_STATIC) != 0;
    this.explicitMonitor = explicitMonitor;
  }

  /**
   * Whether a method is a {@code synchronized} method this visitor rewrites: not a static one of a
   * class older than Java 5, whose monitor (its class) cannot be loaded with {@code ldc}.
   */
  static boolean rewrites(int access, int version) {
    return (access & Opcodes.ACC_SYNCHRONIZED) != 0
        && !(version < Opcodes.V1_5 && (access & Opcodes.ACC_STATIC) != 0);
  }

  /**
   * Whether a synchronized method can take its monitor in bytecode: an instance method (its
   * monitor is {@code this}, in local 0 for the whole method), with frames we can write (Java 6).
   * A static method's monitor would have to be loaded twice with {@code ldc}, and the JIT only
   * matches a {@code monitorexit} with its {@code monitorenter} when both use one value (a local
   * or a {@code dup}): it would refuse to compile the method. So static synchronized methods keep
   * their modifier, and are checked right after the JVM took their monitor.
   */
  static boolean canMakeMonitorExplicit(int access, int version) {
    return (access & Opcodes.ACC_SYNCHRONIZED) != 0
        && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) == 0
        && version >= Opcodes.V1_6;
  }

  // ---- entry ----------------------------------------------------------------------------------

  @Override
  public void visitCode() {
    super.visitCode();
    super.visitLabel(entry);
    site = sites.registerMethodMonitor();
    if (explicitMonitor) {
      // Hooks.monitorEnter(m, site); monitorenter m;  -- and the body's range starts right here
      loadMethodMonitor();                                     // Stack[1]: m
      super.visitInsn(Opcodes.DUP);                            // Stack[2]: m, m
      push(site);                                              // Stack[3]: m, m, I
      hook("monitorEnter", OBJECT + "I", true);                // Stack[1]: m
      super.visitInsn(Opcodes.MONITORENTER);                   // Stack[0]
      openRange = new Label();
      super.visitLabel(openRange);
    } else {
      // Hooks.methodMonitorEntered(this or Owner.class, site);
      loadMethodMonitor();                                     // Stack[1]: Object
      push(site);                                              // Stack[2]: Object, I
      hook("methodMonitorEntered", OBJECT + "I", true);        // Stack[0]
      super.visitLabel(bodyStart);
    }
  }

  @Override
  public void visitLineNumber(int lineNumber, Label start) {
    if (!lineKnown) {
      // The method's first line is where it takes its monitor: for the site, and for the stack
      // a thread shows while the hook runs or it blocks on the monitor.
      sites.setLine(site, lineNumber);
      super.visitLineNumber(lineNumber, entry);
      lineKnown = true;
    }
    super.visitLineNumber(lineNumber, start);
  }

  // ---- exits ----------------------------------------------------------------------------------

  @Override
  public void visitInsn(int opcode) {
    if (opcode < Opcodes.IRETURN || opcode > Opcodes.RETURN) {
      ensureRangeOpen();
      super.visitInsn(opcode);
      return;
    }
    if (explicitMonitor) {
      ensureRangeOpen();
      releaseMethodMonitor(true);
      closeRange(); // the return itself stays outside the range, as javac leaves it
    } else {
      releaseMethodMonitor(true);
    }
    super.visitInsn(opcode);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (explicitMonitor) {
      releaseOnEveryException();
    } else {
      // } catch (Throwable t) { Hooks.monitorExit(this); throw t; }
      Bytecode.catchAll(mv, bodyStart, version, handlerLocals());
      releaseMethodMonitor(false);                             // Stack[1]: Throwable
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
    Bytecode.handlerFrame(mv, handlerLocals());
    releaseMethodMonitor(false);                               // Stack[1]: Throwable
    super.visitLabel(handlerEnd);
    super.visitInsn(Opcodes.ATHROW);
  }

  /** The locals at the catch-all handler: {@code this}, which holds the method's monitor. */
  private Object[] handlerLocals() {
    return staticMethod ? new Object[0] : new Object[] {internalName};
  }

  /**
   * Hooks.monitorExit(m, state); and, when the monitor is ours to release, monitorexit m.
   *
   * @param withState whether to pass the state local: not in a catch-all handler, a rare path
   *     whose frame need not list it
   */
  private void releaseMethodMonitor(boolean withState) {
    loadMethodMonitor();                                       // Stack[+1]: m
    if (explicitMonitor) {
      super.visitInsn(Opcodes.DUP);                            // Stack[+2]: m, m
    }
    if (withState) {
      hook("monitorExit", OBJECT, false);
    } else {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit",
          "(" + OBJECT + ")V", false);
    }
    if (explicitMonitor) {
      super.visitInsn(Opcodes.MONITOREXIT);                    // Stack[+0]
    }
  }

  /**
   * Calls a hook on what is pushed ({@code arguments}): its stateful form with the method's
   * {@link StateLocal}, or without one its plain form.
   */
  private void hook(String name, String arguments, boolean returnsState) {
    if (state >= 0) {
      StateLocal.call(mv, state, name, arguments, returnsState);
    } else {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, name, "(" + arguments + ")V", false);
    }
  }

  private void loadMethodMonitor() {
    if (staticMethod) {
      super.visitLdcInsn(Type.getObjectType(internalName));
    } else {
      super.visitVarInsn(Opcodes.ALOAD, 0);
    }
  }

  // ---- protected ranges -----------------------------------------------------------------------

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

  // Every instruction but a return belongs in a protected range.

  @Override
  public void visitMethodInsn(
      int opcode, String owner, String name, String descriptor, boolean isInterface) {
    ensureRangeOpen();
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
  }

  @Override
  public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
    ensureRangeOpen();
    super.visitFieldInsn(opcode, owner, name, descriptor);
  }

  @Override
  public void visitLdcInsn(Object value) {
    ensureRangeOpen();
    super.visitLdcInsn(value);
  }

  @Override
  public void visitVarInsn(int opcode, int varIndex) {
    ensureRangeOpen();
    super.visitVarInsn(opcode, varIndex);
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    ensureRangeOpen();
    super.visitTypeInsn(opcode, type);
  }

  @Override
  public void visitIntInsn(int opcode, int operand) {
    ensureRangeOpen();
    super.visitIntInsn(opcode, operand);
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    ensureRangeOpen();
    super.visitJumpInsn(opcode, label);
  }

  @Override
  public void visitIincInsn(int varIndex, int increment) {
    ensureRangeOpen();
    super.visitIincInsn(varIndex, increment);
  }

  @Override
  public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap,
      Object... arguments) {
    ensureRangeOpen();
    super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
  }

  @Override
  public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    ensureRangeOpen();
    super.visitTableSwitchInsn(min, max, dflt, labels);
  }

  @Override
  public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    ensureRangeOpen();
    super.visitLookupSwitchInsn(dflt, keys, labels);
  }

  @Override
  public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
    ensureRangeOpen();
    super.visitMultiANewArrayInsn(descriptor, numDimensions);
  }
}
