package dev.lockguard.benchmarks;

import java.util.Locale;

/**
 * The three forms every workload runs in, side by side in one JMH invocation.
 *
 * <p>Each form's benchmark class sets {@value #PROPERTY} in its forked JVM; the workloads read it
 * once (a {@code static final}, so the JIT folds the choice away) to know which locks to make.
 */
public enum Form {
  /** No agent, plain JDK locks: the baseline. */
  BARE,
  /** Plain JDK locks, with the real lockguard agent jar attached by {@code -javaagent}. */
  LOCKGUARD,
  /** No agent, locks made by Guava's {@code CycleDetectingLockFactory}: the peer. */
  GUAVA;

  /**
   * The system property that names the form of a forked JVM. Not under {@code lockguard.}: that
   * prefix belongs to the agent's own options.
   */
  public static final String PROPERTY = "bench.form";

  /** The JVM argument that selects this form. */
  public String jvmArg() {
    return "-D" + PROPERTY + "=" + id();
  }

  /** The lower-case name used on command lines and in tables. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The form of this JVM; fails loudly when the property is missing or wrong. */
  public static Form current() {
    String value = System.getProperty(PROPERTY);
    if (value == null) {
      throw new IllegalStateException(
          "System property " + PROPERTY + " is not set: a form's @Fork arguments were replaced"
              + " (use -jvmArgsPrepend, not -jvmArgsAppend, to add JVM arguments)");
    }
    return of(value);
  }

  /** Parses {@code bare}, {@code lockguard} or {@code guava}. */
  public static Form of(String id) {
    for (Form form : values()) {
      if (form.id().equals(id)) {
        return form;
      }
    }
    throw new IllegalArgumentException("Unknown form '" + id + "'; valid: bare, lockguard, guava");
  }
}
