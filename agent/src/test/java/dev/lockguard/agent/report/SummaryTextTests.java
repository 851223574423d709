package dev.lockguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTextTests {

  @Test
  void rendersAReportWithASummaryLineAndEveryViolation() {
    String text = SummaryText.render(ReportFixtures.fullReport());

    assertThat(text.lines().findFirst())
        .hasValue(
            "lockguard report: pid 4242, main class com.acme.Dining, Java 17.0.15,"
                + " started 2026-11-25T14:00:00Z; 3 violations: 1 ERROR, 1 WARNING, 1 INFO;"
                + " stats: 12 locks seen, 3 edges, 1500 acquisitions");
    assertThat(text.lines().filter(line -> line.startsWith("=== lockguard: ")))
        .containsExactly(
            "=== lockguard: POTENTIAL_DEADLOCK (ERROR) [pd-1] ===",
            "=== lockguard: UNSAFE_QUEUE_CHECK (WARNING) [uq-1] ===",
            "=== lockguard: REUSED_LATCH (INFO) [esc-\"1\"] ===");
  }

  @Test
  void aReportWithoutViolationsSaysSo() {
    Report report = new Report(ReportFixtures.jvm(), List.of(), ReportFixtures.stats());

    assertThat(SummaryText.render(report))
        .isEqualTo(
            "lockguard report: pid 4242, main class com.acme.Dining, Java 17.0.15,"
                + " started 2026-11-25T14:00:00Z; no violations;"
                + " stats: 12 locks seen, 3 edges, 1500 acquisitions\n");
  }
}
