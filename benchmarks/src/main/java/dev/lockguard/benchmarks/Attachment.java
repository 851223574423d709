package dev.lockguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Proves, inside a forked JVM, that it runs the form it claims to run.
 *
 * <p>A benchmark of "the agent" that silently ran without it would publish the bare JVM's figures
 * under the agent's name; so the lockguard form requires both a {@code -javaagent} argument naming
 * the lockguard jar and the runtime's hook class on the bootstrap class path (where the agent puts
 * it), and the other forms require neither. Any mismatch throws, which fails the fork and, with
 * JMH's {@code -foe true}, the whole run.
 */
public final class Attachment {
  /** The runtime class the instrumented code calls; the agent puts it on the bootstrap path. */
  static final String HOOKS = "dev.lockguard.internal.lockorder.Hooks";

  /** The runtime's public API, also on the bootstrap class path under the agent. */
  static final String API = "dev.lockguard.LockGuard";

  /**
   * Whether this JVM said its form and its stats: once each, though every thread of a
   * {@code @Threads(2)} benchmark runs the checks (a plain flag let two threads both print, and
   * run.sh then counted an extra fork).
   */
  private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();
  private static final AtomicBoolean REPORTED_STATS = new AtomicBoolean();

  private Attachment() {}

  /** Checks this JVM against {@code form}, and says so once on standard output. */
  public static void verify(Form form) {
    String argument = agentArgument();
    boolean onBootstrap = runtimeOnBootstrap();
    boolean attached = argument != null && onBootstrap;
    if (form == Form.LOCKGUARD && !attached) {
      throw new IllegalStateException(
          "LOCKGUARD AGENT NOT ATTACHED in the lockguard form: -javaagent argument "
              + (argument == null ? "missing" : argument)
              + ", " + HOOKS + (onBootstrap ? " on" : " NOT on") + " the bootstrap class path");
    }
    if (form != Form.LOCKGUARD && (argument != null || onBootstrap)) {
      throw new IllegalStateException(
          "lockguard agent present in the " + form.id() + " form, which must run without it: "
              + argument);
    }
    verifyLockClass(form);
    if (attached) {
      stats(); // fails unless the runtime's API answers and says the agent is active
    }
    announce(form, attached);
  }

  /**
   * Checks, at the end of a lockguard-form trial, that the instrumented workload really reached
   * the runtime (its acquisition counter moved), and says so once on standard output. Attached but
   * not instrumenting (say, the workload's package excluded) would measure nothing.
   */
  public static void verifyInstrumented(Form form) {
    if (form != Form.LOCKGUARD) {
      return;
    }
    long[] stats = stats();
    if (stats[2] <= 0) {
      throw new IllegalStateException(
          "LOCKGUARD AGENT ATTACHED BUT NOT INSTRUMENTING: 0 acquisitions seen by the runtime");
    }
    if (REPORTED_STATS.compareAndSet(false, true)) {
      // run.sh --quick counts these lines too.
      System.out.println("\n# lockguard-bench instrumented locksSeen=" + stats[0] + " edges="
          + stats[1] + " acquisitions=" + stats[2]);
    }
  }

  /**
   * {@code dev.lockguard.LockGuard.report().stats()} as {locksSeen, edges, acquisitions}. Read
   * reflectively from the bootstrap loader: the benchmarks must not bundle a second runtime.
   */
  static long[] stats() {
    try {
      Class<?> api = Class.forName(API, true, null);
      if (!(Boolean) api.getMethod("agentActive").invoke(null)) {
        throw new IllegalStateException(API + ".agentActive() is false under the agent");
      }
      Object report = api.getMethod("report").invoke(null);
      Object stats = report.getClass().getMethod("stats").invoke(report);
      long[] values = new long[3];
      String[] names = {"locksSeen", "edges", "acquisitions"};
      for (int i = 0; i < names.length; i++) {
        values[i] = (Long) stats.getClass().getMethod(names[i]).invoke(stats);
      }
      return values;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read lockguard's stats through " + API, e);
    }
  }

  /** The {@code -javaagent:} argument naming lockguard, or null. */
  static String agentArgument() {
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("-javaagent:") && argument.contains("lockguard")) {
        return argument;
      }
    }
    return null;
  }

  /** Whether the runtime's hooks resolve from the bootstrap loader (null loader). */
  static boolean runtimeOnBootstrap() {
    try {
      Class.forName(HOOKS, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static void verifyLockClass(Form form) {
    Class<?> type = Locks.newLock("Attachment.probe").getClass();
    boolean guava = type.getName().startsWith("com.google.common.util.concurrent.CycleDetecting");
    if ((form == Form.GUAVA) != guava || (form != Form.GUAVA && type != ReentrantLock.class)) {
      throw new IllegalStateException("the " + form.id() + " form made locks of " + type);
    }
  }

  private static void announce(Form form, boolean attached) {
    if (ANNOUNCED.compareAndSet(false, true)) {
      // run.sh --quick counts these lines; keep the wording in step with it.
      // Leading newline: JMH has just printed an iteration prefix without one.
      System.out.println(
          "\n# lockguard-bench form=" + form.id() + " agent=" + (attached ? "attached" : "absent"));
    }
  }
}
