package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finding is also a JFR event, {@code dev.lockguard.Violation}, in a flight recording of the
 * JVM that found it: the two-monitor inversion under the shaded agent with a recording started on
 * the command line.
 */
class JfrIT {
  @TempDir Path dir;

  @Test
  void aRecordingHoldsTheFindingAsAnEventWithTheStackWhereItWasFound() throws Exception {
    Path recording = dir.resolve("run.jfr");
    Path reportFile = dir.resolve("report.json");
    ForkedJvm.Result result = Fixtures.withAgent("").report(reportFile)
        .jvmArg("-XX:StartFlightRecording=filename=" + recording + ",settings=default")
        .run("fixtures.agent.TwoMonitors");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    Violation finding = Fixtures.readReport(reportFile).violations().get(0);

    List<RecordedEvent> events = RecordingFile.readAllEvents(recording).stream()
        .filter(event -> event.getEventType().getName().equals("dev.lockguard.Violation"))
        .toList();

    assertThat(events).hasSize(1);
    RecordedEvent event = events.get(0);
    assertThat(event.getString("kind")).isEqualTo("POTENTIAL_DEADLOCK");
    assertThat(event.getString("severity")).isEqualTo(finding.severity().name());
    assertThat(event.getString("id")).isEqualTo(finding.id());
    assertThat(finding.locks()).extracting(Violation.LockRef::name)
        .containsExactlyInAnyOrder("TwoMonitors.checking", "TwoMonitors.savings");
    assertThat(event.getString("locks")).isEqualTo(finding.locks().get(0).name() + ", "
        + finding.locks().get(1).name());
    assertThat(event.getString("message")).isEqualTo(finding.message());
    assertThat(event.getThread().getJavaName()).isEqualTo("transfer-2");
    assertThat(event.getStackTrace().getFrames()).anySatisfy(frame -> assertThat(
        frame.getMethod().getType().getName() + "." + frame.getMethod().getName())
        .isEqualTo("fixtures.agent.TwoMonitors.savingsThenChecking"));
  }

  @Test
  void aRunWithoutFindingsRecordsNoLockguardEvent() throws Exception {
    Path recording = dir.resolve("clean.jfr");
    ForkedJvm.Result result = Fixtures.withAgent("").report(dir.resolve("clean.json"))
        .jvmArg("-XX:StartFlightRecording=filename=" + recording + ",settings=default")
        .run("fixtures.agent.ConsistentOrder");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(Fixtures.readReport(dir.resolve("clean.json")).violations()).isEmpty();

    assertThat(RecordingFile.readAllEvents(recording))
        .as("the recording ran").isNotEmpty()
        .noneMatch(event -> event.getEventType().getName().startsWith("dev.lockguard"));
  }
}
