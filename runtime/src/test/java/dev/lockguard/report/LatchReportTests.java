package dev.lockguard.report;

import static dev.lockguard.report.ReportFixtures.lostWakeUp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code waiters} of a latch finding, in JSON and text (the reader's side is in the agent). */
class LatchReportTests {

  @Test
  void violationsWithoutWaitersWriteNoWaitersField() {
    Report report = new Report(ReportFixtures.jvm(), List.of(ReportFixtures.philosophers()),
        ReportFixtures.stats());

    assertThat(JsonReportWriter.toJson(report)).doesNotContain("waiters");
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

         Latch:
           Gate.open  java.util.concurrent.CountDownLatch

         Sites:
           at com.acme.Gate.reopen(Gate.java:30)
           at com.acme.Gate.release(Gate.java:34)
        """);
  }
}
