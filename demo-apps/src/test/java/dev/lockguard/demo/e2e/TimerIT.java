package dev.lockguard.demo.e2e;

import static dev.lockguard.demo.e2e.Demos.lineOf;
import static dev.lockguard.demo.e2e.Reports.ranToTheEnd;
import static dev.lockguard.demo.e2e.Reports.silentRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.report.Violation.WaiterRef;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code timer}: an event cleared every tick is reported; a condition with a counter is not. */
class TimerIT {
  @TempDir Path dir;

  /**
   * Which re-arm cases the run hits depends on where the waiters are at each tick (woken but not
   * yet returned, or busy and missing it), so the test asserts what every finding must say, that
   * each is one of the README's three cases (each once at most), and the case of a clear while a
   * waiter still waited, which forty ticks to two waiters produce.
   */
  @Test
  void eventClearedEveryTickIsAReusedLatch() throws Exception {
    Report report = ranToTheEnd(Demos.withAgent(dir, "", "timer", "event"));

    assertThat(report.violations()).extracting(TimerIT::rearmCase).doesNotHaveDuplicates()
        .contains("cleared while waiters still waited (ERROR)")
        .isSubsetOf("cleared while waiters still waited (ERROR)",
            "set and cleared while a former waiter was away (ERROR)", "re-armed (WARNING)");
    assertThat(report.violations()).isNotEmpty().allSatisfy(violation -> {
      assertThat(violation.kind()).isEqualTo(Kind.REUSED_LATCH);
      assertThat(violation.locks()).containsExactly(new LockRef("EventTimer.tick", "dev.lockguard.Event"));
      assertThat(violation.sites()).singleElement().asString()
          .contains(lineOf("timer/EventTimer", "@rearm"));
      assertThat(violation.threads()).contains("timer");
    });
    Violation clearedUnderWaiters = report.violations().stream()
        .filter(violation -> violation.message().contains("still waited on it"))
        .findFirst().orElseThrow(() -> new AssertionError("no clear under waiters in " + report.violations()));
    assertThat(clearedUnderWaiters.severity()).isEqualTo(Severity.ERROR);
    assertThat(clearedUnderWaiters.message()).contains("Event EventTimer.tick was cleared at")
        .contains("use a Condition with a generation counter");
    List<String> waiting = clearedUnderWaiters.waiters().stream().map(WaiterRef::thread).toList();
    assertThat(waiting).isNotEmpty().isSubsetOf("waiter-1", "waiter-2").doesNotHaveDuplicates();
    assertThat(clearedUnderWaiters.threads()).first().isEqualTo("timer");
    assertThat(clearedUnderWaiters.threads()).containsExactlyInAnyOrderElementsOf(
        Stream.concat(Stream.of("timer"), waiting.stream()).toList());
    assertThat(clearedUnderWaiters.waiters()).allSatisfy(waiter -> {
      assertThat(waiter.latch()).isEqualTo("EventTimer.tick");
      assertThat(waiter.stack().get(0)).contains(lineOf("timer/EventTimer", "@await"));
    });
  }

  /** Which of the README's three re-arm cases a finding is, with its severity. */
  private static String rearmCase(Violation violation) {
    String message = violation.message();
    String kind = message.contains(" still waited on it (") ? "cleared while waiters still waited"
        : message.contains(" was set and cleared again at ")
            ? "set and cleared while a former waiter was away"
        : message.contains(" after it was set, which re-arms it") ? "re-armed" : message;
    return kind + " (" + violation.severity() + ")";
  }

  @Test
  void conditionWithTickCounterIsSilent() throws Exception {
    Demos.Run run = silentRun(dir, "", "timer", "condition");

    assertThat(run.stdout()).as("no waiter misses a tick").contains("waiter-1=40, waiter-2=40");
  }
}
