package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.report.OrderGraph;
import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs under the shaded agent each take half of two lock-order cycles ({@code
 * fixtures.agent.merge.HalfCycles}): each report carries its graph and no finding, and the report
 * command, given both, finds the cycles, an ERROR over static fields and a WARNING over instance
 * fields.
 */
class CrossJvmMergeIT {
  private static final String FIXTURE = "merge/HalfCycles";

  @TempDir Path dir;

  @Test
  void eachReportCarriesItsGraphAndTheMergeFindsTheCyclesNoJvmSaw() throws Exception {
    Fixtures.Outcome forward = Fixtures.runFixture(dir.resolve("a"), "", FIXTURE, "forward");
    Fixtures.Outcome backward = Fixtures.runFixture(dir.resolve("b"), "", FIXTURE, "backward");
    assertThat(forward.report().violations()).isEmpty();
    assertThat(backward.report().violations()).isEmpty();
    assertThat(forward.result().stderr()).doesNotContain("lockguard:");
    assertThat(forward.report().graph().locks()).containsExactlyInAnyOrder(
        new OrderGraph.Lock("HalfCycles.FIRST", "java.lang.Object", OrderGraph.Stands.ONE),
        new OrderGraph.Lock("HalfCycles.SECOND", "java.lang.Object", OrderGraph.Stands.ONE),
        new OrderGraph.Lock("HalfCycles.left", "java.lang.Object", OrderGraph.Stands.MANY),
        new OrderGraph.Lock("HalfCycles.right", "java.lang.Object", OrderGraph.Stands.MANY));
    assertThat(forward.report().graph().edges())
        .extracting(OrderGraph.Edge::from, OrderGraph.Edge::to, OrderGraph.Edge::thread)
        .contains(tuple("HalfCycles.FIRST", "HalfCycles.SECOND",
            "forward"));

    Path a = dir.resolve("a/" + FIXTURE + ".json");
    Path b = dir.resolve("b/" + FIXTURE + ".json");
    ForkedJvm.Result merged = ForkedJvm.java()
        .runJar(Fixtures.AGENT_JAR, "report", "--format", "json", a.toString(), b.toString());
    assertThat(merged.exitCode()).as(merged.toString()).isZero();
    Report report = JsonReportReader.read(merged.stdout());

    assertThat(report.violations()).extracting(Violation::kind, Violation::severity)
        .containsExactly(tuple(Kind.POTENTIAL_DEADLOCK, Severity.ERROR),
            tuple(Kind.POTENTIAL_DEADLOCK, Severity.WARNING));
    Violation statics = report.violations().get(0);
    assertThat(statics.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("HalfCycles.FIRST", "HalfCycles.SECOND");
    assertThat(statics.message()).contains(" across JVMs (", "pid " + forward.report().jvm().pid(),
        "pid " + backward.report().jvm().pid())
        .endsWith("each lock is one object in every JVM (a static field or a class), so two"
            + " threads running these paths at the same moment deadlock.");
    assertThat(statics.sites()).containsExactlyInAnyOrder(
        site("forward", "@acquire-second"), site("backward", "@acquire-first"));
    assertThat(statics.threads()).hasSize(2).allMatch(t -> t.startsWith("forward (pid ")
        || t.startsWith("backward (pid "));
    Violation instances = report.violations().get(1);
    assertThat(instances.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("HalfCycles.left", "HalfCycles.right");
    assertThat(instances.message()).endsWith("name many objects (an instance field or this):"
        + " these paths deadlock only if they meet on the same instances in one JVM.");
    assertThat(instances.sites()).containsExactlyInAnyOrder(
        site("forward", "@acquire-right"), site("backward", "@acquire-left"));
    assertThat(List.of(statics.id(), instances.id())).doesNotHaveDuplicates();
  }

  private static String site(String method, String marker) {
    return "fixtures.agent.merge.HalfCycles." + method + "("
        + Fixtures.lineOf(FIXTURE, marker) + ")";
  }
}
