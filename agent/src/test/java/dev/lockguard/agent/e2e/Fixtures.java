package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.testsupport.ForkedJvm;
import dev.lockguard.testsupport.Markers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This module's fixtures ({@code fixtures.agent}) in forked JVMs under the real, shaded agent jar:
 * where the jar and the fixture classes are, a fixture's run with its report read back, and the
 * lines its {@code // @marker} comments mark.
 */
final class Fixtures {
  static final Path AGENT_JAR = Path.of(System.getProperty("lockguard.agentJar",
      "target/lockguard-agent.jar")).toAbsolutePath();
  private static final Path CLASSES = Path.of(System.getProperty("lockguard.fixtureClasspath",
      "target/test-classes")).toAbsolutePath();
  private static final Path SOURCES = Path.of("src/test/java/fixtures/agent");
  private static final String PACKAGE = "fixtures.agent.";

  private Fixtures() {}

  /** A JVM for fixtures under the agent with {@code options} (may be empty). */
  static ForkedJvm withAgent(String options) {
    return ForkedJvm.java().agent(AGENT_JAR, options).classPath(CLASSES);
  }

  /** A fixture's run: what it printed and the report it wrote. */
  record Outcome(ForkedJvm.Result result, Report report) {
    /** The one violation of the report. */
    Violation only() {
      assertThat(report.violations()).as(result.toString()).hasSize(1);
      return report.violations().get(0);
    }
  }

  /**
   * Runs {@code fixtures.agent.FIXTURE} under the agent with {@code options} (may be empty) and a
   * report in {@code dir}; asserts it exited normally and that instrumentation was applied.
   */
  static Outcome runFixture(Path dir, String options, String fixture, String... args)
      throws IOException, InterruptedException {
    Path reportFile = dir.resolve(fixture + ".json");
    Files.createDirectories(reportFile.getParent()); // a fixture in a sub-package: names/...
    ForkedJvm.Result result = withAgent(options).report(reportFile).run(PACKAGE + fixture, args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    Report report = readReport(reportFile);
    assertThat(report.stats().acquisitions()).as("instrumentation was applied").isPositive();
    return new Outcome(result, report);
  }

  static Report readReport(Path file) throws IOException {
    assertThat(file).as("report file").exists();
    return JsonReportReader.read(file);
  }

  /**
   * {@code File.java:N} for the line of {@code fixtures/agent/File.java} that carries
   * {@code marker}; {@code fixture} may name a sub-package ({@code latch/File}).
   */
  static String lineOf(String fixture, String marker) {
    return Markers.lineOf(SOURCES.resolve(fixture + ".java"), marker);
  }
}
