package dev.lockguard.demo.e2e;

import static dev.lockguard.demo.e2e.Reports.silentRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code actors} and {@code pubsub} have no broken variant: they guard against false positives. */
class SilentDemosIT {
  @TempDir Path dir;

  @Test
  void actorsAreSilent() throws Exception {
    Demos.Run run = silentRun(dir, "", "actors", "silent");

    assertThat(run.stdout()).contains("results=50; sum of squares 1456050 as expected");
    assertThat(run.report().stats().latchesSeen()).as("one result event per job")
        .isGreaterThanOrEqualTo(50);
  }

  @Test
  void pubsubIsSilent() throws Exception {
    Demos.Run run = silentRun(dir, "", "pubsub", "silent");

    assertThat(run.stdout()).contains("subscriber-1=200, subscriber-2=200");
  }
}
