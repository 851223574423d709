package dev.lockguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFixtures;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Counts;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.Severity;
import java.util.List;
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

  private static Report report(Violation... violations) {
    return new Report(ReportFixtures.jvm(), List.of(violations), ReportFixtures.stats());
  }

  private static Violation queue(Severity severity, boolean observed, String message) {
    return new Violation("q", Kind.UNSAFE_QUEUE_CHECK, severity, message, List.of("producer"),
        List.of(), List.of(), List.of()).withObserved(observed);
  }
}
