package dev.lockguard.benchmarks;

/**
 * The {@code @Fork} arguments of each form. Annotations take constants only, hence strings that
 * repeat {@link Form#jvmArg()} (a test keeps them in step).
 *
 * <p>Each workload class has one benchmark method per form, with these arguments, so that JMH
 * (which runs benchmarks in name order) measures a workload's forms one after the other: on a
 * machine whose load changes over a run, the forms compared in a ratio see the same conditions.
 */
final class Forks {
  /** Forks per benchmark in the full run. */
  static final int COUNT = 2;

  static final String BARE = "-Dbench.form=bare";
  static final String LOCKGUARD = "-Dbench.form=lockguard";
  static final String GUAVA = "-Dbench.form=guava";
  /** Attaches the real, shaded agent jar with its default options. */
  static final String AGENT = AgentJar.JVM_ARG;

  private Forks() {}
}
