package dev.lockguard.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.internal.FreshRuntime;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Counts;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.Severity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bug, one report: what the report prints on stderr, keeps in the JSON and tells listeners
 * when a detector reports the same finding again.
 */
class ReporterTests {
  private static final Pattern HEADER = Pattern.compile("=== lockguard: \\w+ \\((\\w+)\\) ");

  @RegisterExtension final FreshRuntime runtime = new FreshRuntime();
  @TempDir Path dir;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private Path reportFile;

  @BeforeEach
  void printOnCapturedStderr() {
    reportFile = dir.resolve("report.json");
    Config.replace(new Config(reportFile, Config.Policy.RECORD, Config.Order.GRAPH, 0, false,
        IllegalStateException::new));
    originalErr = System.err;
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  @Test
  void aRepeatAtTheSameSeverityIsCountedNotPrintedAndListenersHearIt() throws Exception {
    Violation first = cycle(Severity.ERROR, "first", "t1", "t2");
    Reporter.report(first);
    Reporter.report(cycle(Severity.ERROR, "other instances", "t1", "t3"));
    Reporter.report(cycle(Severity.WARNING, "one thread", "t4"));

    assertThat(printedSeverities()).containsExactly("ERROR");
    assertThat(runtime.findings()).as("listeners hear every report").hasSize(3);
    assertThat(runtime.recorded()).singleElement().satisfies(recorded -> {
      assertThat(recorded.message()).as("the first of equals stays").isEqualTo("first");
      assertThat(recorded.counts()).isEqualTo(new Counts(3, 3, 4));
    });
    assertThat(Files.readString(reportFile)).as("the report was written on the first one")
        .contains("\"message\": \"first\"");
  }

  @Test
  void aFindingIsPrintedAgainOnlyWhenItTurnsMoreSevere() {
    Reporter.report(cycle(Severity.INFO, "gated", "t1"));
    Reporter.report(cycle(Severity.WARNING, "one thread", "t1"));
    Reporter.report(cycle(Severity.WARNING, "one thread again", "t2"));
    Reporter.report(cycle(Severity.ERROR, "across threads", "t1", "t2"));
    Reporter.report(cycle(Severity.ERROR, "across threads again", "t1", "t2"));
    Reporter.report(cycle(Severity.WARNING, "one thread later", "t3"));

    assertThat(printedSeverities()).containsExactly("INFO", "WARNING", "ERROR");
    assertThat(stderr.toString(StandardCharsets.UTF_8)).as("the rise shows the counts so far")
        .contains("across threads\n Threads: \"t1\", \"t2\"\n Seen 4 times: 4 cycles of lock"
            + " instances through this code, by 2 threads\n");
    Violation recorded = runtime.recorded().get(0);
    assertThat(recorded.severity()).isEqualTo(Severity.ERROR);
    assertThat(recorded.message()).isEqualTo("across threads");
    assertThat(recorded.counts()).isEqualTo(new Counts(6, 6, 3));
  }

  @Test
  void anObservedRaceReplacesAPossibleOneAtTheSameSeverityInEitherOrderWithoutAPrint()
      throws Exception {
    Reporter.report(queue("q1", "no lock in common", false));
    Reporter.report(queue("q1", "race observed", true));
    Reporter.report(queue("q2", "race observed", true));
    Reporter.report(queue("q2", "no lock in common", false));

    assertThat(printedSeverities()).as("once per id").containsExactly("ERROR", "ERROR");
    assertThat(runtime.recorded()).extracting(Violation::message)
        .containsExactly("race observed", "race observed");
    assertThat(runtime.recorded()).allSatisfy(v -> assertThat(v.observed()).isTrue());
    assertThat(Files.readString(reportFile)).as("the replacement was written at once")
        .doesNotContain("no lock in common");
  }

  @Test
  void threadsAreCountedByNameUpToALimit() {
    for (int i = 0; i < Reporter.MAX_THREAD_NAMES + 10; i++) {
      Reporter.report(queue("q", "possible", false).withCounts(new Counts(1, 0, 1)));
    }
    Reporter.report(new Violation("many", Kind.UNSAFE_QUEUE_CHECK, Severity.ERROR, "m",
        List.of("a"), List.of(), List.of(), List.of()));
    for (int i = 0; i < Reporter.MAX_THREAD_NAMES + 10; i++) {
      Reporter.report(new Violation("many", Kind.UNSAFE_QUEUE_CHECK, Severity.ERROR, "m",
          List.of("worker-" + i), List.of(), List.of(), List.of()));
    }

    assertThat(runtime.recorded()).extracting(v -> v.counts().threadsSeen())
        .containsExactly(1L, (long) Reporter.MAX_THREAD_NAMES);
    assertThat(runtime.recorded().get(1).counts().occurrences())
        .isEqualTo(Reporter.MAX_THREAD_NAMES + 11);
  }

  private List<String> printedSeverities() {
    Matcher matcher = HEADER.matcher(stderr.toString(StandardCharsets.UTF_8));
    List<String> severities = new java.util.ArrayList<>();
    while (matcher.find()) {
      severities.add(matcher.group(1));
    }
    return severities;
  }

  /** A lock-order cycle over new lock instances, always under the id "c". */
  private static Violation cycle(Severity severity, String message, String... threads) {
    return new Violation("c", Kind.POTENTIAL_DEADLOCK, severity, message, List.of(threads),
        List.of(), List.of(), List.of());
  }

  private static Violation queue(String id, String message, boolean observed) {
    return new Violation(id, Kind.UNSAFE_QUEUE_CHECK, Severity.ERROR, message,
        List.of("producer"), List.of(), List.of(), List.of()).withObserved(observed);
  }
}
