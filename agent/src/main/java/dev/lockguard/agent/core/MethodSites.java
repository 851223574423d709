package dev.lockguard.agent.core;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The head of one method's rewriters: follows the original code so that a rewriter after it can
 * register a site where it stands, at the current line and named after the receiver on the stack
 * ({@link ReceiverNames}).
 *
 * <p>It is made before the rewriters, which hold on to it, and then put {@link #ahead} them.
 */
public final class MethodSites extends ReceiverNames {
  private final SiteRegistrar registrar;
  private final String methodName;
  /** What the method's monitor is named if it is synchronized, or null. */
  private final String methodMonitor;
  private int line = -1;

  /**
   * @param owner the class's internal name, or null in a JDK class, whose monitors the runtime
   *     names after the object
   * @param instance whether the method has a {@code this}
   */
  MethodSites(Rules rules, SiteRegistrar registrar, String methodName, String owner,
      boolean instance, Getters getters, boolean framesMarkJoins) {
    super(null, rules, owner != null && instance && rules.names("L" + owner + ";")
        ? self(owner) : null, getters, framesMarkJoins);
    this.methodMonitor = owner == null ? null : instance ? self(owner) : classLiteral(owner);
    this.registrar = registrar;
    this.methodName = methodName;
  }

  /** Puts this visitor ahead of {@code rewriters}, the chain it forwards the original code to. */
  public MethodVisitor ahead(MethodVisitor rewriters) {
    this.mv = rewriters;
    return this;
  }

  @Override
  public void visitLineNumber(int lineNumber, Label start) {
    line = lineNumber;
    super.visitLineNumber(lineNumber, start);
  }

  /** Registers a site at the current line named {@code name} (or null) and returns its id. */
  public int register(String name) {
    return registrar.register(methodName, line, name);
  }

  /**
   * Registers the site of a synchronized method's monitor, named {@code Owner.this} or
   * {@code Owner.class} for a static method (unnamed in a JDK class: the runtime names it after
   * the object), and returns its id; its line is set once known.
   */
  public int registerMethodMonitor() {
    return register(methodMonitor);
  }

  /** Registers a site at the current line, named after the monitor on top of the stack. */
  public int registerMonitor() {
    return register(receiverName());
  }

  /** Registers a site at the current line, named after the receiver of a call. */
  public int registerCall(String callDescriptor) {
    return register(receiverName(callDescriptor));
  }

  /** See {@link SiteRegistrar#setLine}. */
  public void setLine(int site, int line) {
    registrar.setLine(site, line);
  }

  /** See {@link SiteRegistrar#changed}. */
  public void changed() {
    registrar.changed();
  }
}
