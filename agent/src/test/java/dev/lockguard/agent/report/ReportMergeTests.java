package dev.lockguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lockguard.report.OrderGraph;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFixtures;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Counts;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.util.LinkedHashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Several JVMs' reports folded into one: one finding per id, counts added. */
class ReportMergeTests {

  @Test
  void theSameBugInTwoJvmsIsOneFindingShownAtItsWorstWithBothCounts() {
    Report first = report(queue(Severity.WARNING, false, "possible"), ReportFixtures.lostWakeUp());
    Report second = report(queue(Severity.ERROR, false, "blocks"),
        ReportFixtures.philosophers());
    Report third = report(queue(Severity.ERROR, true, "observed"));

    Report merged = ReportMerge.merge(List.of(first, second, third));

    assertThat(merged.violations()).extracting(Violation::id)
        .as("in the order first seen").containsExactly("q", "rl-1", "pd-1");
    Violation queue = merged.violations().get(0);
    assertThat(queue.message()).isEqualTo("observed");
    assertThat(queue.severity()).isEqualTo(Severity.ERROR);
    assertThat(queue.counts()).isEqualTo(new Counts(3, 0, 3));
    assertThat(merged.stats()).isEqualTo(new Report.Stats(36, 9, 4500, 0));
    assertThat(merged.jvm()).isEqualTo(first.jvm());
  }

  @Test
  void oneReportMergesToItself() {
    Report only = ReportFixtures.fullReport();

    assertThat(ReportMerge.merge(List.of(only))).usingRecursiveComparison().isEqualTo(only);
  }

  @Test
  void aCycleWhoseHalvesRanInTwoJvmsOverStaticLocksIsAnErrorNamingBothJvms() {
    Report first = graphReport(11, OrderGraph.Stands.ONE, edge("Locks.A", "Locks.B", "t1", 10));
    Report second = graphReport(12, OrderGraph.Stands.ONE, edge("Locks.B", "Locks.A", "t2", 20));

    Report merged = ReportMerge.merge(List.of(first, second), List.of("a.json", "b.json"));

    Violation cycle = merged.violations().get(0);
    assertThat(merged.violations()).hasSize(1);
    assertThat(cycle.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(cycle.severity()).isEqualTo(Severity.ERROR);
    assertThat(cycle.message()).isEqualTo("Lock-order cycle Locks.A -> Locks.B -> Locks.A across"
        + " JVMs (Locks.A -> Locks.B in pid 11, a.json; Locks.B -> Locks.A in pid 12, b.json):"
        + " each lock is one object in every JVM (a static field or a class), so two threads"
        + " running these paths at the same moment deadlock.");
    assertThat(cycle.locks()).containsExactly(new LockRef("Locks.A", "java.lang.Object"),
        new LockRef("Locks.B", "java.lang.Object"));
    assertThat(cycle.threads()).containsExactly("t1 (pid 11, a.json)", "t2 (pid 12, b.json)");
    assertThat(cycle.sites()).containsExactly("app.Run.main(Run.java:10)", "app.Run.main(Run.java:20)");
    assertThat(cycle.edges()).extracting(EdgeRef::from, EdgeRef::to, EdgeRef::acquiredAt)
        .containsExactly(tuple("Locks.A", "Locks.B", List.of("app.Run.main(Run.java:10)")),
            tuple("Locks.B", "Locks.A", List.of("app.Run.main(Run.java:20)")));
    assertThat(merged.graph().edges()).hasSize(2);
  }

  @Test
  void aCycleThroughInstanceFieldsIsAWarningThatSaysWhatIsKnown() {
    Report first = graphReport(11, OrderGraph.Stands.MANY, edge("Pair.left", "Pair.right", "t1", 10));
    Report second = graphReport(12, OrderGraph.Stands.MANY, edge("Pair.right", "Pair.left", "t2", 20));

    Violation cycle = ReportMerge.merge(List.of(first, second)).violations().get(0);

    assertThat(cycle.severity()).isEqualTo(Severity.WARNING);
    assertThat(cycle.message()).endsWith("): Pair.left, Pair.right name many objects (an instance"
        + " field or this): these paths deadlock only if they meet on the same instances in one"
        + " JVM.");
  }

  @Test
  void aCycleOneJvmHeldWholeOrAReadOnlyCycleIsNotFoundAgain() {
    Report whole = graphReport(11, OrderGraph.Stands.ONE, edge("Locks.A", "Locks.B", "t1", 10),
        edge("Locks.B", "Locks.A", "t2", 20));
    Report other = graphReport(12, OrderGraph.Stands.ONE, edge("Locks.A", "Locks.B", "t3", 30));
    OrderGraph.Edge readAb = new OrderGraph.Edge("Rw.a", "Rw.b", true, true, "t1", List.of(),
        List.of("x"));
    OrderGraph.Edge readBa = new OrderGraph.Edge("Rw.b", "Rw.a", true, true, "t2", List.of(),
        List.of("y"));

    assertThat(ReportMerge.merge(List.of(whole, other)).violations()).isEmpty();
    assertThat(ReportMerge.merge(List.of(graphReport(1, OrderGraph.Stands.ONE, readAb),
        graphReport(2, OrderGraph.Stands.ONE, readBa))).violations()).isEmpty();
  }

  @Test
  void theJvmsLineNamesASurefireForkAsOneNotByItsBooterJar() {
    Report fork = new Report(new Report.JvmInfo(7, "17.0.15",
        "/work/app/target/surefire/surefirebooter-2026_1.jar", "now", "/work/app/core"),
        List.of(), ReportFixtures.stats());

    assertThat(ReportMerge.jvms(List.of(fork, ReportFixtures.fullReport(), fork)))
        .isEqualTo("2 JVMs: pid 7 (surefire fork in /work/app/core, Java 17.0.15),"
            + " pid 4242 (com.acme.Dining, Java 17.0.15)");
  }

  @Test
  void theJvmsLineCountsTheForksThatRanTheSameThingInTheSamePlace() {
    List<Report> forks = new ArrayList<>();
    for (long pid = 101; pid <= 146; pid++) {
      forks.add(new Report(new Report.JvmInfo(pid, "17.0.15",
          "org.apache.maven.surefire.booter.ForkedBooter", "now", "/work/HikariCP"), List.of(),
          ReportFixtures.stats()));
    }
    forks.add(new Report(new Report.JvmInfo(200, "17.0.15", "org.apache.maven.surefire.booter"
        + ".ForkedBooter", "now", "/work/HikariCP/other"), List.of(), ReportFixtures.stats()));
    forks.add(ReportFixtures.fullReport());

    assertThat(ReportMerge.jvms(forks)).isEqualTo("48 JVMs: 46 x surefire fork in /work/HikariCP,"
        + " Java 17.0.15 (pids 101, 102, 103 and 43 more), pid 200 (surefire fork in"
        + " /work/HikariCP/other, Java 17.0.15), pid 4242 (com.acme.Dining, Java 17.0.15)");
  }

  private static OrderGraph.Edge edge(String from, String to, String thread, int line) {
    return new OrderGraph.Edge(from, to, false, false, thread,
        List.of("app.Run.main(Run.java:" + (line - 1) + ")"),
        List.of("app.Run.main(Run.java:" + line + ")"));
  }

  private static Report graphReport(long pid, OrderGraph.Stands stands, OrderGraph.Edge... edges) {
    Set<String> names = new LinkedHashSet<>();
    for (OrderGraph.Edge edge : edges) {
      names.add(edge.from());
      names.add(edge.to());
    }
    List<OrderGraph.Lock> locks = names.stream()
        .map(name -> new OrderGraph.Lock(name, "java.lang.Object", stands)).toList();
    return new Report(new Report.JvmInfo(pid, "17", "app.Run", "now"), List.of(),
        ReportFixtures.stats(), new OrderGraph(locks, List.of(edges), false));
  }

  private static Report report(Violation... violations) {
    return new Report(ReportFixtures.jvm(), List.of(violations), ReportFixtures.stats());
  }

  private static Violation queue(Severity severity, boolean observed, String message) {
    return new Violation("q", Kind.UNSAFE_QUEUE_CHECK, severity, message, List.of("producer"),
        List.of(), List.of(), List.of()).withObserved(observed);
  }
}
