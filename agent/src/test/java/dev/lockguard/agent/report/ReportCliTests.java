package dev.lockguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFixtures;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Counts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCliTests {

  @TempDir Path dir;

  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private Path good;
  private Path bad;

  @BeforeEach
  void writeReports() throws IOException {
    good = dir.resolve("good.json");
    Files.writeString(good, JsonReportWriter.toJson(ReportFixtures.fullReport()));
    bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\n  \"schema\": \"lockguard-report/1\"\n  x");
  }

  @Test
  void printsAReportAsTextByDefault() {
    int exit = run(good.toString());

    assertThat(exit).isEqualTo(0);
    assertThat(out()).isEqualTo(SummaryText.render(ReportFixtures.fullReport()));
    assertThat(err()).isEmpty();
  }

  @Test
  void printsJsonThatReadsBackToTheSameReport() {
    int exit = run("--format", "json", good.toString());

    assertThat(exit).isEqualTo(0);
    assertThat(JsonReportReader.read(out()))
        .usingRecursiveComparison()
        .isEqualTo(ReportFixtures.fullReport());
  }

  @Test
  void printsDot() {
    int exit = run("--format=dot", good.toString());

    assertThat(exit).isEqualTo(0);
    assertThat(out())
        .startsWith("digraph lockguard {\n")
        .contains("  \"Philosopher.left\" -> \"Philosopher.right\" [label=\"t1\"];\n");
  }

  @Test
  void separateHeadsEachTextReportWithItsFile() {
    int exit = run("--separate", good.toString(), good.toString());

    assertThat(exit).isEqualTo(0);
    assertThat(out().lines().filter(line -> line.startsWith("==> ")))
        .containsExactly("==> " + good + " <==", "==> " + good + " <==");
  }

  @Test
  void mergesSeveralReportsIntoOneWithTheCountsOfEachFindingAdded() {
    int exit = run("--format", "json", good.toString(), good.toString());

    assertThat(exit).isEqualTo(0);
    Report merged = JsonReportReader.read(out());
    assertThat(merged.violations()).extracting(Violation::id)
        .containsExactly("pd-1", "uq-1", "esc-\"1\"");
    assertThat(merged.violations()).extracting(Violation::counts).containsExactly(
        new Counts(10, 6, 8), new Counts(4, 0, 4), new Counts(2, 0, 4));
    assertThat(merged.stats().acquisitions()).isEqualTo(3000);
  }

  @Test
  void aMergedTextReportIsHeadedByItsFilesAndJvmsAndSkipsOneThatCannotBeRead() {
    Path missing = dir.resolve("missing.json");

    int exit = run("--merge", good.toString(), missing.toString(), good.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err()).isEqualTo("lockguard report: " + missing + ": no such file\n");
    assertThat(out()).startsWith("==> merged 2 reports: " + good + ", " + good + " <==\n"
        + "==> 1 JVM: pid 4242 (" + ReportFixtures.jvm().mainClass() + ", Java "
        + ReportFixtures.jvm().javaVersion() + ") <==\n"
        + "lockguard report: pid 4242")
        .contains(" Seen 10 times: 6 cycles of lock instances through this code, by 8 threads\n");
    assertThat(out().lines().filter(line -> line.startsWith("=== lockguard: "))).hasSize(3);
  }

  @Test
  void aMissingFileIsOneLineAndExit2ButOtherFilesAreStillPrinted() {
    Path missing = dir.resolve("missing.json");

    int exit = run(missing.toString(), good.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err()).isEqualTo("lockguard report: " + missing + ": no such file\n");
    assertThat(out()).contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [pd-1] ===");
  }

  @Test
  void aDirectoryWithoutReportsIsOneLineAndExit2() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));

    int exit = run(empty.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err()).isEqualTo(
        "lockguard report: " + empty + ": no lockguard reports (*.json) in this directory\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void aDirectoryStandsForEveryReportBelowIt() throws IOException {
    Path build = Files.createDirectories(dir.resolve("build/Test"));
    Files.copy(good, build.resolve("method().json"));
    Files.copy(good, build.getParent().resolve("lockguard-1.json"));
    Files.writeString(build.getParent().resolve("notes.txt"), "not a report");

    int exit = run("--merge", "--format", "json", build.getParent().toString());

    assertThat(exit).isZero();
    assertThat(JsonReportReader.read(out()).violations().get(0).counts().occurrences())
        .isEqualTo(2 * ReportFixtures.fullReport().violations().get(0).counts().occurrences());
  }

  @Test
  void outputWritesTheRenderingToAFileInNewDirectories() throws IOException {
    Path output = dir.resolve("out/site/report.txt");

    int exit = run("--output", output.toString(), good.toString());

    assertThat(exit).isZero();
    assertThat(out()).isEmpty();
    assertThat(Files.readString(output)).isEqualTo(SummaryText.render(ReportFixtures.fullReport()));
  }

  @Test
  void failOnListsEachFindingAtOrAboveItWithLocksAndSitesAndExits1() {
    int exit = run("--fail-on", "error", "--output", dir.resolve("r.txt").toString(),
        good.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err()).startsWith("lockguard: 1 finding at or above ERROR:\n"
        + "  POTENTIAL_DEADLOCK ERROR: ")
        .contains("    locks: Philosopher.left, Philosopher.right\n")
        .contains("    sites: ");
  }

  @Test
  void failOnPassesWhenNoFindingIsOfTheKindsAsked() {
    assertThat(run("--fail-on=INFO", "--fail-kinds", "deadlock,lock_order_violation", good.toString()))
        .isZero();
    assertThat(err()).isEmpty();
  }

  @Test
  void aBadSeverityOrKindIsAUsageErrorNamingTheValidOnes() {
    assertThat(run("--fail-on", "FATAL", good.toString())).isEqualTo(2);
    assertThat(run("--fail-on", "ERROR", "--fail-kinds", "RACE", good.toString())).isEqualTo(2);
    assertThat(run("--fail-kinds", "DEADLOCK", good.toString())).isEqualTo(2);

    assertThat(err().lines()).containsExactly(
        "lockguard report: unknown severity 'FATAL' (valid: ERROR, WARNING, INFO); "
            + ReportCli.USAGE,
        "lockguard report: unknown finding kind 'RACE' (valid: POTENTIAL_DEADLOCK,"
            + " LOCK_ORDER_VIOLATION, DEADLOCK, UNSAFE_QUEUE_CHECK, REUSED_LATCH); "
            + ReportCli.USAGE,
        "lockguard report: --fail-kinds needs --fail-on SEVERITY; " + ReportCli.USAGE);
  }

  @Test
  void aMalformedFileIsOneLineNamingFileLineAndColumn() {
    int exit = run(good.toString(), bad.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "lockguard report: " + bad + ": line 3, column 3: expected ',' or '}' but found 'x'\n");
    assertThat(out()).isEqualTo(SummaryText.render(ReportFixtures.fullReport()));
  }

  @Test
  void aReportOfAnotherSchemaIsOneLine() throws IOException {
    Path other = Files.writeString(dir.resolve("other.json"), "{\"schema\": \"sarif\"}");

    int exit = run(other.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "lockguard report: " + other + ": not a lockguard report: field \"schema\" is"
                + " \"sarif\", expected \"lockguard-report/1\"\n");
  }

  @Test
  void violationsDoNotChangeTheExitCode() {
    assertThat(ReportFixtures.fullReport().violations()).isNotEmpty();

    assertThat(run(good.toString())).isEqualTo(0);
  }

  @Test
  void noFilesIsAUsageError() {
    int exit = run();

    assertThat(exit).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "lockguard report: no report files given;"
                + " " + ReportCli.USAGE + "\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void anUnknownFlagIsAUsageError() {
    int exit = run("--verbose", good.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "lockguard report: unknown option '--verbose';"
                + " " + ReportCli.USAGE + "\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void anUnknownOrMissingFormatIsAUsageError() {
    assertThat(run("--format", "xml", good.toString())).isEqualTo(2);
    assertThat(run(good.toString(), "--format")).isEqualTo(2);

    assertThat(err().lines())
        .containsExactly(
            "lockguard report: unknown format 'xml' (valid: text, json, dot, sarif, html);"
                + " " + ReportCli.USAGE,
            "lockguard report: --format needs a value;"
                + " " + ReportCli.USAGE);
    assertThat(out()).isEmpty();
  }

  @Test
  void aDoubleDashMakesTheRestFilesEvenIfTheyStartWithADash() {
    int exit = run("--", "-odd.json");

    assertThat(exit).isEqualTo(2);
    assertThat(err()).isEqualTo("lockguard report: -odd.json: no such file\n");
  }

  @Test
  void helpPrintsUsageAndExits0() {
    assertThat(run("--help")).isEqualTo(0);
    assertThat(out()).isEqualTo(ReportCli.USAGE + "\n");
  }

  private int run(String... args) {
    return ReportCli.run(args, stream(outBytes), stream(errBytes));
  }

  private static PrintStream stream(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private String out() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }
}
