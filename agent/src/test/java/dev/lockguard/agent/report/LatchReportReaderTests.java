package dev.lockguard.agent.report;

import static dev.lockguard.report.ReportFixtures.lostWakeUp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A latch finding's {@code waiters} and the {@code latchesSeen} counter, read back from JSON. */
class LatchReportReaderTests {

  @Test
  void waitersSurviveAJsonRoundTrip() {
    Report report = new Report(ReportFixtures.jvm(), List.of(lostWakeUp()),
        new Report.Stats(0, 0, 0, 3));

    String json = JsonReportWriter.toJson(report);
    Report back = JsonReportReader.read(json);

    assertThat(json).contains("\"waiters\": [").contains("\"latch\": \"Gate.open\"")
        .contains("\"latchesSeen\": 3");
    assertThat(back.violations().get(0).waiters()).containsExactly(lostWakeUp().waiters().get(0));
    assertThat(back.stats().latchesSeen()).isEqualTo(3);
  }

  @Test
  void reportsWrittenBeforeLatchFieldsStillRead() {
    Report report = JsonReportReader.read("""
        {"schema": "lockguard-report/1",
         "jvm": {"pid": 1, "javaVersion": "17", "mainClass": "M", "startedAt": "t"},
         "violations": [{"id": "x", "kind": "REUSED_LATCH", "severity": "WARNING",
           "message": "m", "threads": [], "locks": [], "edges": [], "sites": []}],
         "stats": {"locksSeen": 1, "edges": 2, "acquisitions": 3}}
        """);

    assertThat(report.violations().get(0).waiters()).isEmpty();
    assertThat(report.stats().latchesSeen()).isZero();
  }
}
