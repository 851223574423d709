package dev.lockguard.internal.core;

/**
 * A place in application bytecode where a lock is taken, released or waited on.
 *
 * <p>Registered once by the agent when it transforms a class; instrumented code passes only the
 * site's int id, so a hook costs no allocation to say where it was called from.
 */
public final class Site {
  public final int id;
  public final String className;
  public final String methodName;
  public final String fileName;
  /** Set at registration, or just after for a synchronized method's first line. */
  public volatile int line;
  /** {@code Owner.field} when the bytecode loaded the lock from a field, else null. */
  public final String lockName;
  /**
   * A site inside the JDK (a retransformed class): its field names say little about which
   * collection it is, so they only stand in until an application site names the lock.
   */
  public final boolean jdk;

  Site(int id, String className, String methodName, String fileName, int line, String lockName) {
    this.id = id;
    this.className = className;
    this.methodName = methodName;
    this.fileName = fileName;
    this.line = line;
    this.lockName = lockName;
    this.jdk = className.startsWith("java.");
  }

  /** The site as a stack frame, in {@link StackTraceElement#toString()} form. */
  public StackTraceElement frame() {
    return new StackTraceElement(className, methodName, fileName, line);
  }

  public String lockName() {
    return lockName;
  }

  @Override
  public String toString() {
    return frame().toString();
  }
}
