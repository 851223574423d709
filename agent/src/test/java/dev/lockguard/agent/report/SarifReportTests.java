package dev.lockguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.ReportFixtures;
import dev.lockguard.testsupport.SarifSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SARIF for code scanning: valid against the official 2.1.0 schema, pointing into the sources. */
class SarifReportTests {
  @TempDir Path repo;

  @Test
  void isValidSarifWithARulePerKindAndAResultPerFinding() throws IOException {
    String sarif = render();

    assertThat(SarifSchema.errors(sarif)).isEmpty();
    assertThat(sarif).contains("\"version\": \"2.1.0\"", "\"name\": \"lockguard\"")
        .contains("\"id\": \"POTENTIAL_DEADLOCK\"", "\"id\": \"UNSAFE_QUEUE_CHECK\"",
            "\"id\": \"REUSED_LATCH\"", "\"id\": \"DEADLOCK\"", "\"id\": \"LOCK_ORDER_VIOLATION\"")
        .containsPattern("\"help\": \\{\\s*\"text\": \"Two threads that run these paths");
  }

  @Test
  void aResultHasTheLevelOfItsSeverityAFingerprintFromItsIdAndLocationsInTheRepository()
      throws IOException {
    String sarif = render();

    assertThat(sarif).contains("\"ruleId\": \"POTENTIAL_DEADLOCK\",\n          \"ruleIndex\": 0,\n"
        + "          \"level\": \"error\"")
        .contains("\"ruleId\": \"UNSAFE_QUEUE_CHECK\",\n          \"ruleIndex\": 3,\n"
            + "          \"level\": \"warning\"")
        .contains("\"ruleId\": \"REUSED_LATCH\",\n          \"ruleIndex\": 4,\n"
            + "          \"level\": \"note\"")
        .contains("\"lockguardId/v1\": \"pd-1\"")
        .contains("\"uri\": \"src/main/java/com/acme/Philosopher.java\",\n"
            + "                  \"uriBaseId\": \"SRCROOT\"")
        .contains("\"startLine\": 21")
        .contains("\"text\": \"thread \\\"t2\\\" takes Philosopher.left here while holding"
            + " Philosopher.right\"")
        .contains("\"uri\": \"com/acme/Worker.java\"") // not in the sources: its package path
        .contains("\"uri\": \"" + repo.toUri() + "\"");
  }

  @Test
  void aSteeredFindingSaysWhatSteeringShowedFirst() {
    dev.lockguard.report.Violation confirmed = ReportFixtures.philosophers().withConfirmation(
        new dev.lockguard.report.Violation.Confirmation(
            dev.lockguard.report.Violation.Confirmation.Status.CONFIRMED, 1, 2, 2, List.of()));
    dev.lockguard.report.Report report = new dev.lockguard.report.Report(
        ReportFixtures.fullReport().jvm(), List.of(confirmed), ReportFixtures.fullReport().stats());

    String sarif = new SarifReport(new Frames(List.of(), repo)).render(report);

    assertThat(SarifSchema.errors(sarif)).isEmpty();
    assertThat(sarif).contains("\"text\": \"CONFIRMED on 1 steered run: every thread held its lock"
        + " and was about to take the next one; lockguard stopped one of them before it blocked. "
        + confirmed.message().replace("\"", "\\\""));
    String html = HtmlReport.render(report);
    assertThat(html).contains("POTENTIAL_DEADLOCK (ERROR, CONFIRMED)</h2>")
        .contains("<p><strong>CONFIRMED on 1 steered run: every thread held its lock");
  }

  private String render() throws IOException {
    Path sources = Files.createDirectories(repo.resolve("src/main/java/com/acme"));
    Files.writeString(sources.resolve("Philosopher.java"), "class Philosopher {}");
    return new SarifReport(new Frames(List.of(repo.resolve("src/main/java")), repo))
        .render(ReportFixtures.fullReport());
  }
}
