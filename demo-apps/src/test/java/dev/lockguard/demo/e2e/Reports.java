package dev.lockguard.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import java.util.List;

/** Assertions on a demo's report that every end-to-end test needs. */
final class Reports {
  private Reports() {}

  /** The variant ran to its end (exit 0) and the agent instrumented it. */
  static Report ranToTheEnd(DemoJvm.Run run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout()).as(run.toString()).contains(": done");
    return instrumented(run.report());
  }

  /** The agent saw the demo's lock acquisitions. */
  static Report instrumented(Report report) {
    assertThat(report.stats().acquisitions()).as("instrumentation was applied").isPositive();
    return report;
  }

  /** The report's only violation. */
  static Violation onlyViolation(Report report) {
    assertThat(report.violations()).hasSize(1);
    return report.violations().get(0);
  }

  /** The one edge {@code from -> to} of {@code violation}. */
  static EdgeRef edge(Violation violation, String from, String to) {
    List<EdgeRef> matching = violation.edges().stream()
        .filter(edge -> edge.from().equals(from) && edge.to().equals(to))
        .toList();
    assertThat(matching).as("edge %s -> %s in %s", from, to, violation.edges()).hasSize(1);
    return matching.get(0);
  }
}
