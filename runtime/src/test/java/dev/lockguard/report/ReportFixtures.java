package dev.lockguard.report;

import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.report.Violation.WaiterRef;
import java.util.List;

/**
 * Reports and violations shared by the report tests: the writer and text tests here, and the
 * reader and CLI tests in the agent (through this module's test jar).
 */
public final class ReportFixtures {

  public static final String REENTRANT_LOCK = "java.util.concurrent.locks.ReentrantLock";

  private ReportFixtures() {}

  public static Report.JvmInfo jvm() {
    return new Report.JvmInfo(4242, "17.0.15", "com.acme.Dining", "2026-11-25T14:00:00Z");
  }

  public static Report.Stats stats() {
    return new Report.Stats(12, 3, 1500);
  }

  /** The dining philosophers' inversion: t1 takes left then right, t2 right then left. */
  public static Violation philosophers() {
    return new Violation(
        "pd-1",
        Kind.POTENTIAL_DEADLOCK,
        Severity.ERROR,
        "Philosopher.left and Philosopher.right are taken in both orders",
        List.of("t1", "t2"),
        List.of(
            new LockRef("Philosopher.left", REENTRANT_LOCK),
            new LockRef("Philosopher.right", REENTRANT_LOCK)),
        List.of(
            new EdgeRef(
                "Philosopher.left",
                "Philosopher.right",
                "t1",
                List.of("com.acme.Philosopher.eat(Philosopher.java:20)"),
                List.of("com.acme.Philosopher.eat(Philosopher.java:21)"),
                List.of("Table.gate", "Philosopher.left")),
            new EdgeRef(
                "Philosopher.right",
                "Philosopher.left",
                "t2",
                List.of("com.acme.Philosopher.eatLeftHanded(Philosopher.java:30)"),
                List.of("com.acme.Philosopher.eatLeftHanded(Philosopher.java:31)"))),
        List.of());
  }

  /** A queue checked for emptiness and then polled without a lock around both. */
  public static Violation unsafeQueueCheck() {
    return new Violation(
        "uq-1",
        Kind.UNSAFE_QUEUE_CHECK,
        Severity.WARNING,
        "queue emptiness checked, then polled, with no lock around both",
        List.of("worker-1"),
        List.of(new LockRef("Worker.jobs", "java.util.concurrent.LinkedBlockingQueue")),
        List.of(),
        List.of(
            "com.acme.Worker.next(Worker.java:40)", "com.acme.Worker.run(Worker.java:12)"));
  }

  /** A violation whose every string needs escaping in JSON. */
  public static Violation needingEscapes() {
    String tricky = "quote \" backslash \\ tab \t newline \n bell \u0007 del \u007f"
        + " ls \u2028 emoji \uD83D\uDE00 lone \uD800 end";
    return new Violation(
        "esc-\"1\"",
        Kind.REUSED_LATCH,
        Severity.INFO,
        tricky,
        List.of("thread \"quoted\"", "C:\\path"),
        List.of(new LockRef("Latch\u0000", "com.acme.Event")),
        List.of(new EdgeRef("a\\b", "c\"d", "t\r\n", List.of("f\u0001"), List.of("g\u001f"))),
        List.of("site \"1\""));
  }

  /**
   * Every kind of field: a cycle seen over several lock instances (counts), an observed queue
   * race, and strings that need escaping.
   */
  public static Report fullReport() {
    return new Report(
        jvm(),
        List.of(philosophers().withCounts(new Violation.Counts(5, 3, 4)),
            unsafeQueueCheck().withObserved(true).withCounts(new Violation.Counts(2, 0, 2)),
            needingEscapes()),
        stats());
  }

  /**
   * A report carrying a lock-order graph (a static lock, an instance lock, a read lock) and the
   * JVM's working directory.
   */
  public static Report withGraph() {
    OrderGraph graph = new OrderGraph(
        List.of(new OrderGraph.Lock("Locks.A", "java.lang.Object", OrderGraph.Stands.ONE),
            new OrderGraph.Lock("Pair.left", REENTRANT_LOCK, OrderGraph.Stands.MANY)),
        List.of(new OrderGraph.Edge("Locks.A", "Pair.left", false, true, "main",
            List.of("com.acme.Run.a(Run.java:9)"), List.of("com.acme.Run.a(Run.java:10)"))),
        true);
    Report.JvmInfo jvm = new Report.JvmInfo(4242, "17.0.15", "com.acme.Dining",
        "2026-11-25T14:00:00Z", "/home/me/bank");
    return new Report(jvm, List.of(), stats(), graph);
  }

  /** A latch replaced while a thread still waited on the old instance. */
  public static Violation lostWakeUp() {
    return new Violation(
        "rl-1",
        Kind.REUSED_LATCH,
        Severity.ERROR,
        "CountDownLatch Gate.open was replaced while 1 thread still waited on the old instance",
        List.of("main", "waiter"),
        List.of(new LockRef("Gate.open", "java.util.concurrent.CountDownLatch")),
        List.of(),
        List.of("com.acme.Gate.reopen(Gate.java:30)", "com.acme.Gate.release(Gate.java:34)"),
        List.of(new WaiterRef("waiter", "Gate.open",
            List.of("com.acme.Gate.pass(Gate.java:26)", "java.lang.Thread.run(Thread.java:840)"))));
  }

  /** An edge with one held-at and one acquired-at frame named after its locks. */
  public static EdgeRef edge(String from, String to, String thread) {
    List<String> heldAt = List.of("Held." + from + "(X.java:1)");
    return new EdgeRef(from, to, thread, heldAt, List.of("Got." + to + "(X.java:2)"));
  }

  /** A potential deadlock made of {@code edges}. */
  public static Violation cycle(Severity severity, EdgeRef... edges) {
    return new Violation(
        "c-1",
        Kind.POTENTIAL_DEADLOCK,
        severity,
        "cycle",
        List.of(),
        List.of(new LockRef("A", "java.lang.Object")),
        List.of(edges),
        List.of());
  }
}
