package dev.lockguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.report.Violation.WaiterRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code waiters} of a latch finding and the {@code latchesSeen} counter, in JSON and text. */
class LatchReportTests {

  static Violation lostWakeUp() {
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
  void violationsWithoutWaitersWriteNoWaitersField() {
    Report report = new Report(ReportFixtures.jvm(), List.of(ReportFixtures.philosophers()),
        ReportFixtures.stats());

    assertThat(JsonReportWriter.toJson(report)).doesNotContain("waiters");
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

  @Test
  void textShowsEachWaiterWithItsStack() {
    assertThat(TextReport.render(lostWakeUp())).isEqualTo("""
        === lockguard: REUSED_LATCH (ERROR) [rl-1] ===
        CountDownLatch Gate.open was replaced while 1 thread still waited on the old instance
         Threads: "main", "waiter"

         thread "waiter" (latch Gate.open) at:
           at com.acme.Gate.pass(Gate.java:26)
           at java.lang.Thread.run(Thread.java:840)

         Locks:
           Gate.open  java.util.concurrent.CountDownLatch

         Sites:
           at com.acme.Gate.reopen(Gate.java:30)
           at com.acme.Gate.release(Gate.java:34)
        """);
  }
}
