package dev.lockguard.demo.e2e;

import static dev.lockguard.demo.e2e.DemoJvm.lineOf;
import static dev.lockguard.demo.e2e.Reports.onlyViolation;
import static dev.lockguard.demo.e2e.Reports.ranToTheEnd;
import static dev.lockguard.demo.e2e.Reports.silentRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import java.nio.file.Path;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code timer}: an event cleared every tick is reported; a condition with a counter is not. */
class TimerIT {
  @TempDir Path dir;

  @Test
  @Disabled("waits for the REUSED_LATCH detector (issue 6, branch latch), not on main yet")
  void eventClearedEveryTickIsAReusedLatch() throws Exception {
    Violation violation = onlyViolation(ranToTheEnd(DemoJvm.withAgent(dir, "", "timer", "event")));

    assertThat(violation.kind()).isEqualTo(Kind.REUSED_LATCH);
    assertThat(violation.locks()).extracting(LockRef::name).containsExactly("EventTimer.tick");
    assertThat(violation.sites())
        .anySatisfy(site -> assertThat(site).contains(lineOf("timer/EventTimer", "@rearm")));
  }

  @Test
  void conditionWithTickCounterIsSilent() throws Exception {
    DemoJvm.Run run = silentRun(dir, "", "timer", "condition");

    assertThat(run.stdout()).as("no waiter misses a tick").contains("waiter-1=40, waiter-2=40");
  }
}
