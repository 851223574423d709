package dev.lockguard.demo.e2e;

import static dev.lockguard.demo.e2e.Demos.lineOf;
import static dev.lockguard.demo.e2e.Reports.onlyViolation;
import static dev.lockguard.demo.e2e.Reports.ranToTheEnd;
import static dev.lockguard.demo.e2e.Reports.silentRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code producer-consumer}: trusting {@code isEmpty()} is reported; sentinels and acks are not. */
class ProducerConsumerIT {
  private static final String SOURCE = "producerconsumer/ProducerConsumer";

  @TempDir Path dir;

  @Test
  void unsafeConsumersCheckThenTake() throws Exception {
    Violation violation = onlyViolation(
        ranToTheEnd(Demos.withAgent(dir, "", "producer-consumer", "unsafe")));

    assertThat(violation.kind()).isEqualTo(Kind.UNSAFE_QUEUE_CHECK);
    assertThat(violation.severity()).as("take() after a size check can block for ever")
        .isEqualTo(Severity.ERROR);
    assertThat(violation.locks()).containsExactly(
        new LockRef("ProducerConsumer.queue", "java.util.concurrent.LinkedBlockingQueue"));
    assertThat(violation.sites()).hasSize(2);
    assertThat(violation.sites().get(0)).contains(lineOf(SOURCE, "@check-empty"));
    assertThat(violation.sites().get(1)).contains(lineOf(SOURCE, "@take-after-check"));
    assertThat(violation.message()).contains("isEmpty()", "take()", "poll(timeout)");
    assertThat(violation.threads()).isNotEmpty()
        .allSatisfy(thread -> assertThat(thread).matches("consumer-[1-3]"));
  }

  @Test
  void sentinelShutdownIsSilent() throws Exception {
    Demos.Run run = silentRun(dir, "", "producer-consumer", "sentinel");

    assertThat(run.stdout()).contains("consumed=200").contains("sum=20100");
  }

  @Test
  void acknowledgedItemsAreSilent() throws Exception {
    Demos.Run run = silentRun(dir, "", "producer-consumer", "acknowledged");

    assertThat(run.stdout()).contains("acknowledged=200, consumed=200");
    assertThat(run.report().stats().latchesSeen()).as("one event per item")
        .isGreaterThanOrEqualTo(200);
  }
}
