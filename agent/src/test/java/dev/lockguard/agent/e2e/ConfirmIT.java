package dev.lockguard.agent.e2e;

import static dev.lockguard.agent.e2e.Fixtures.lineOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.e2e.Fixtures.Outcome;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Confirmation;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code confirmFrom=REPORT}: a later run of any JVM steers the cycles of an earlier run's report
 * and says whether they deadlock for real.
 */
class ConfirmIT {
  @TempDir Path dir;

  @Test
  void aCycleFromAnEarlierReportIsConfirmedAndTheProgramEndsWithOneThreadStopped()
      throws Exception {
    Violation predicted = Fixtures.runFixture(dir.resolve("first"), "", "confirm/Transfers",
        "together").only();
    assertThat(predicted.kind()).isEqualTo(Violation.Kind.POTENTIAL_DEADLOCK);
    assertThat(predicted.confirmation()).isNull();
    Path earlier = dir.resolve("first/confirm/Transfers.json");

    Outcome steered = Fixtures.runFixture(dir.resolve("second"),
        "confirmFrom=" + earlier + ",confirmHold=3000", "confirm/Transfers", "together");

    Violation confirmed = steered.only();
    assertThat(confirmed.id()).isEqualTo(predicted.id());
    Confirmation confirmation = confirmed.confirmation();
    assertThat(confirmation.status()).isEqualTo(Confirmation.Status.CONFIRMED);
    assertThat(confirmation.attempts()).isEqualTo(1);
    assertThat(confirmation.edgesReached()).isEqualTo(2);
    assertThat(confirmation.witness()).extracting(Confirmation.Witness::thread)
        .containsExactlyInAnyOrder("to-savings", "to-checking");
    assertThat(confirmation.witness()).anySatisfy(w -> {
      assertThat(w.thread()).isEqualTo("to-savings");
      assertThat(w.held()).isEqualTo("Transfers.checking");
      assertThat(w.wanted()).isEqualTo("Transfers.savings");
      assertThat(w.stack().get(0)).endsWith(lineOf("confirm/Transfers", "@to-savings") + ")");
    });
    assertThat(confirmation.witness()).anySatisfy(w -> {
      assertThat(w.thread()).isEqualTo("to-checking");
      assertThat(w.held()).isEqualTo("Transfers.savings");
      assertThat(w.wanted()).isEqualTo("Transfers.checking");
      assertThat(w.stack().get(0)).endsWith(lineOf("confirm/Transfers", "@to-checking") + ")");
    });
    String stderr = steered.result().stderr();
    assertThat(stderr).contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR, CONFIRMED) ["
        + predicted.id() + "] ===").contains(" CONFIRMED on 1 steered run: every thread held its lock")
        .contains("dev.lockguard.LockOrderViolationException: lockguard: CONFIRMED deadlock ["
            + predicted.id() + "]");
    assertThat(steered.result().stdout()).contains("transfers done");
  }

  @Test
  void aCycleWhosePathsNeverOverlapInThisRunIsNotReproduced() throws Exception {
    Fixtures.runFixture(dir.resolve("first"), "", "confirm/Transfers", "together");
    Path earlier = dir.resolve("first/confirm/Transfers.json");

    Outcome steered = Fixtures.runFixture(dir.resolve("second"),
        "confirmFrom=" + earlier + ",confirmHold=300", "confirm/Transfers", "ordered");

    Confirmation confirmation = steered.only().confirmation();
    assertThat(confirmation).isEqualTo(new Confirmation(
        Confirmation.Status.NOT_REPRODUCED, 1, 1, 2, List.of()));
    assertThat(steered.result().stderr()).doesNotContain("LockOrderViolationException");
    assertThat(steered.result().stdout()).contains("transfers done");
  }

  @Test
  void aConfirmReportThatIsMissingOrHasNoCycleStopsTheJvmWithTheFix() throws Exception {
    ForkedJvm.Result missing = Fixtures.withAgent("confirmFrom=" + dir.resolve("nope.json"))
        .run("fixtures.agent.confirm.Transfers", "ordered");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("option \"confirmFrom\" cannot read the report "
        + dir.resolve("nope.json")).contains("Give the JSON report of an earlier run");

    Path clean = dir.resolve("clean.json");
    Files.writeString(clean, "{\"schema\": \"lockguard-report/1\", \"jvm\": {\"pid\": 1,"
        + " \"javaVersion\": \"17\", \"mainClass\": \"x\", \"startedAt\": \"now\"},"
        + " \"violations\": [], \"stats\": {\"locksSeen\": 0, \"edges\": 0,"
        + " \"acquisitions\": 0}}");
    ForkedJvm.Result noCycle = Fixtures.withAgent("confirmFrom=" + clean)
        .run("fixtures.agent.confirm.Transfers", "ordered");
    assertThat(noCycle.exitCode()).isEqualTo(2);
    assertThat(noCycle.stderr()).contains("which has no POTENTIAL_DEADLOCK finding to confirm");

    ForkedJvm.Result badHold = Fixtures.withAgent("confirmHold=0")
        .run("fixtures.agent.confirm.Transfers", "ordered");
    assertThat(badHold.exitCode()).isEqualTo(2);
    assertThat(badHold.stderr()).contains("option \"confirmHold\" has the bad value \"0\"");
  }
}
