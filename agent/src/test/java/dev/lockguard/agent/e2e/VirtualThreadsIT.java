package dev.lockguard.agent.e2e;

import static dev.lockguard.agent.e2e.Fixtures.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual threads (JDK 21+), end to end: {@code synchronized} and {@code ReentrantLock} used from
 * virtual threads are tracked per virtual thread and named after it. Skipped on older JDKs; CI runs
 * it in its JDK 25 pass.
 */
class VirtualThreadsIT {
  @TempDir Path dir;

  @Test
  void inversionBetweenTwoVirtualThreadsIsReportedUnderTheirNames() throws Exception {
    int feature = Runtime.version().feature();
    assumeTrue(feature >= 21, "virtual threads need JDK 21 or newer; this JVM is JDK " + feature);
    Path reportFile = dir.resolve("virtual.json");

    ForkedJvm.Result result = Fixtures.withAgent("report=" + reportFile)
        .run("fixtures.agent.VirtualThreadInversion");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("vt-transfer-1 virtual=true")
        .contains("vt-transfer-2 virtual=true")
        .contains("audited=1002");
    Report report = Fixtures.readReport(reportFile);
    assertThat(report.violations()).as("the 1,000 consistent workers stay silent").hasSize(1);
    Violation violation = report.violations().get(0);
    assertThat(violation.kind()).isEqualTo(Violation.Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Violation.Severity.ERROR);
    assertThat(violation.threads()).containsExactlyInAnyOrder("vt-transfer-1", "vt-transfer-2");
    assertThat(violation.locks()).extracting(LockRef::name, LockRef::type).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("VirtualThreadInversion.account", "java.lang.Object"),
        org.assertj.core.groups.Tuple.tuple("VirtualThreadInversion.ledger",
            "java.util.concurrent.locks.ReentrantLock"));
    assertEdge(violation, "VirtualThreadInversion.account", "VirtualThreadInversion.ledger",
        "vt-transfer-1", "@held-account", "@acquire-ledger");
    assertEdge(violation, "VirtualThreadInversion.ledger", "VirtualThreadInversion.account",
        "vt-transfer-2", "@held-ledger", "@acquire-account");
    assertThat(report.stats().acquisitions()).as("every virtual worker's two acquisitions")
        .isGreaterThanOrEqualTo(2 * 1_000 + 4);
  }

  private static void assertEdge(Violation violation, String from, String to, String thread,
      String heldMarker, String acquiredMarker) throws Exception {
    EdgeRef edge = violation.edges().stream()
        .filter(candidate -> candidate.from().equals(from) && candidate.to().equals(to))
        .findFirst().orElseThrow(() -> new AssertionError("no edge " + from + " -> " + to));
    assertThat(edge.thread()).isEqualTo(thread);
    assertThat(edge.heldAt().get(0)).contains(lineOf("VirtualThreadInversion", heldMarker));
    assertThat(edge.acquiredAt().get(0)).contains(lineOf("VirtualThreadInversion", acquiredMarker));
  }
}
