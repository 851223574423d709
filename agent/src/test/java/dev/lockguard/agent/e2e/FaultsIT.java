package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.agent.report.ReportFormatException;
import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.testsupport.ForkedJvm;
import dev.lockguard.testsupport.RunningJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * lockguard under faults, end to end: an unwritable report, every way a JVM exits, a report
 * corrupted under its feet, and hooks that fail inside lockguard.
 */
class FaultsIT {
  private static final String CANNOT_WRITE = "lockguard: cannot write the report";
  private static final String FINDING = "=== lockguard: POTENTIAL_DEADLOCK";
  private static final String HOOK_FAILED = "lockguard: internal error in a hook";

  @TempDir Path dir;

  // ---- the report cannot be written ------------------------------------------------------------

  @Test
  void reportInAMissingDirectoryWarnsOnceAndFindingsGoToStderr() throws Exception {
    Path report = dir.resolve("missing").resolve("report.json");

    String stderr = runUnwritable(report);

    assertThat(stderr).contains("directory " + report.getParent() + " does not exist");
    assertThat(report.getParent()).doesNotExist();
  }

  @Test
  void reportPathThatIsADirectoryWarnsOnceAndFindingsGoToStderr() throws Exception {
    String stderr = runUnwritable(dir);

    assertThat(stderr).contains("it is a directory");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("no temporary file left behind").isEmpty();
    }
  }

  /** Root may write any file it can name, but not on a read-only file system such as /proc. */
  @Test
  void readOnlyReportFileWarnsOnceAndFindingsGoToStderr() throws Exception {
    Path report = Path.of("/proc/version");
    assumeTrue(Files.isRegularFile(report), "needs Linux /proc for a file nobody can replace");
    String before = Files.readString(report);

    String stderr = runUnwritable(report);

    assertThat(stderr).contains(CANNOT_WRITE + " to " + report);
    assertThat(Files.readString(report)).isEqualTo(before);
  }

  // ---- however the JVM exits, the report is complete -------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exit", "throw"})
  void reportIsCompleteWhenTheApplicationExits(String how) throws Exception {
    Path report = dir.resolve("exit.json");
    ForkedJvm.Result result = Fixtures.withAgent("report=" + report)
        .run("fixtures.agent.faults.ExitAfterViolation", how);

    if (how.equals("exit")) {
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    } else {
      assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
      assertThat(result.stderr()).contains("IllegalStateException: the application fails");
    }
    assertCompleteExitReport(report);
  }

  @Test
  void reportIsCompleteAfterSigterm() throws Exception {
    Path report = dir.resolve("sigterm.json");
    try (RunningJvm jvm = Fixtures.withAgent("report=" + report)
        .start("fixtures.agent.faults.ExitAfterViolation", "wait")) {
      jvm.awaitLine("READY");

      assertThat(jvm.terminate()).as("killed by SIGTERM").isEqualTo(128 + 15);
    }
    assertCompleteExitReport(report);
  }

  // ---- a report corrupted while the JVM runs -----------------------------------------------------

  @Test
  void corruptedReportIsRewrittenWholeAtTheNextViolation() throws Exception {
    Path report = dir.resolve("corrupted.json");
    try (RunningJvm jvm = Fixtures.withAgent("report=" + report)
        .start("fixtures.agent.faults.ReportCorruptedWhileRunning")) {
      jvm.awaitLine("FIRST");
      assertThat(lockNames(Fixtures.readReport(report)))
          .containsExactly(List.of("ReportCorruptedWhileRunning.orders",
              "ReportCorruptedWhileRunning.stock"));
      Files.writeString(report, "{\"schema\": \"lockguard-report/1\", \"violations\": [{\"id");
      assertThatThrownBy(() -> JsonReportReader.read(report))
          .isInstanceOf(ReportFormatException.class);

      jvm.send("go");
      jvm.awaitLine("SECOND");

      Report rewritten = Fixtures.readReport(report);
      assertThat(lockNames(rewritten)).containsExactly(
          List.of("ReportCorruptedWhileRunning.orders", "ReportCorruptedWhileRunning.stock"),
          List.of("ReportCorruptedWhileRunning.invoices", "ReportCorruptedWhileRunning.payments"));
      jvm.closeInput();
      assertThat(jvm.awaitExit()).as(jvm.stderr()).isZero();
      assertThat(jvm.stderr()).doesNotContain(CANNOT_WRITE);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).as("no temporary files left beside the report").containsExactly(report);
    }
  }

  // ---- a hook fails inside lockguard ---------------------------------------------------------------

  @Test
  void failingHooksAreReportedOnceAndDetectionGoesOn() throws Exception {
    Path report = dir.resolve("failing.json");
    ForkedJvm.Result result = Fixtures.withAgent("report=" + report)
        .jvmArg("-Dlockguard.test.failHooks=100")
        .run("fixtures.agent.faults.FailingHooks");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("DONE");
    assertThat(occurrences(result.stderr(), HOOK_FAILED)).as(result.stderr()).isEqualTo(1);
    assertThat(result.stderr()).contains("failure injected by -Dlockguard.test.failHooks")
        .doesNotContain("\tat ");
    Report written = Fixtures.readReport(report);
    assertThat(lockNames(written))
        .containsExactly(List.of("FailingHooks.left", "FailingHooks.right"));
    assertThat(written.violations().get(0).threads())
        .containsExactlyInAnyOrder("after-failures-1", "after-failures-2");
    assertThat(written.stats().acquisitions()).as("hooks after the failures count")
        .isGreaterThan(10_000 - 100);
  }

  // ---- helpers -------------------------------------------------------------------------------------

  /**
   * Runs two inversions with an unwritable report: one warning, before anything else lockguard
   * says; both findings on stderr; both recorded in the JVM. Returns stderr.
   */
  private String runUnwritable(Path report) throws Exception {
    ForkedJvm.Result result = Fixtures.withAgent("report=" + report)
        .run("fixtures.agent.faults.TwoInversions");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    String stderr = result.stderr();
    assertThat(occurrences(stderr, CANNOT_WRITE)).as(stderr).isEqualTo(1);
    assertThat(stderr.indexOf(CANNOT_WRITE)).as("warned at start").isLessThan(stderr.indexOf(FINDING));
    assertThat(stderr).contains("Fix: point report= at a writable file.")
        .doesNotContain(HOOK_FAILED)
        .doesNotContain("\tat ");
    assertThat(occurrences(stderr, FINDING)).isEqualTo(2);
    assertThat(stderr).contains("TwoInversions.inbox -> TwoInversions.outbox")
        .contains("TwoInversions.index -> TwoInversions.store");
    assertThat(result.stdout()).contains("recorded=2");
    return stderr;
  }

  /** The inversion, and the acquisitions after it: only the write at exit counted those. */
  private static void assertCompleteExitReport(Path file) throws IOException {
    Report report = Fixtures.readReport(file);
    assertThat(report.violations()).hasSize(1);
    Violation violation = report.violations().get(0);
    assertThat(violation.kind()).isEqualTo(Violation.Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Violation.Severity.ERROR);
    assertThat(violation.threads()).containsExactlyInAnyOrder("teller-1", "teller-2");
    assertThat(violation.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("ExitAfterViolation.accounts", "ExitAfterViolation.audit");
    assertEdge(violation, "ExitAfterViolation.accounts", "teller-1", "@held-accounts",
        "@acquire-audit");
    assertEdge(violation, "ExitAfterViolation.audit", "teller-2", "@held-audit",
        "@acquire-accounts");
    assertThat(report.stats().acquisitions()).as("written again at exit")
        .isGreaterThanOrEqualTo(5_000 + 4);
    assertThat(report.jvm().mainClass()).isEqualTo("fixtures.agent.faults.ExitAfterViolation");
  }

  private static void assertEdge(Violation violation, String from, String thread,
      String heldMarker, String acquiredMarker) throws IOException {
    EdgeRef edge = violation.edges().stream().filter(candidate -> candidate.from().equals(from))
        .findFirst().orElseThrow(() -> new AssertionError("no edge from " + from));
    assertThat(edge.thread()).isEqualTo(thread);
    assertThat(edge.heldAt().get(0))
        .contains(Fixtures.lineOf("faults/ExitAfterViolation", heldMarker));
    assertThat(edge.acquiredAt().get(0))
        .contains(Fixtures.lineOf("faults/ExitAfterViolation", acquiredMarker));
  }

  private static List<List<String>> lockNames(Report report) {
    return report.violations().stream()
        .map(violation -> violation.locks().stream().map(LockRef::name).sorted().toList())
        .toList();
  }

  private static int occurrences(String text, String part) {
    Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }
}
