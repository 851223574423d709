package dev.lockguard.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.report.Report;
import dev.lockguard.testsupport.ForkedJvm;
import dev.lockguard.testsupport.Markers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code java -jar lockguard-demos.jar DEMO VARIANT} in a forked JVM, with the real shaded agent
 * jar or without it, the JSON report the agent wrote read back, and the demo source lines that
 * {@code // @marker} comments mark.
 */
final class Demos {
  private static final Path AGENT_JAR = Path.of(System.getProperty("lockguard.agentJar",
      "../agent/target/lockguard-agent.jar")).toAbsolutePath().normalize();
  private static final Path DEMOS_JAR = Path.of(System.getProperty("lockguard.demosJar",
      "target/lockguard-demos.jar")).toAbsolutePath();
  private static final Path SOURCES = Path.of(System.getProperty("lockguard.demoSources",
      "src/main/java")).toAbsolutePath();
  /** Every variant ends within 10 s by design; this only keeps a broken build from hanging. */
  private static final Duration BOUND = Duration.ofSeconds(60);

  private Demos() {}

  /** What a demo's JVM left behind: its exit code, its output and (with the agent) its report. */
  record Run(int exitCode, String stdout, String stderr, Report report) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** Runs the demo under the agent with {@code report=FILE} plus {@code extraOptions}. */
  static Run withAgent(Path dir, String extraOptions, String... args)
      throws IOException, InterruptedException {
    Path reportFile = dir.resolve(String.join("-", args) + ".json");
    ForkedJvm.Result result = ForkedJvm.java().agent(AGENT_JAR, extraOptions).report(reportFile)
        .timeout(BOUND).runJar(DEMOS_JAR, args);
    assertThat(reportFile).as("report file of %s", result).exists();
    return new Run(result.exitCode(), result.stdout(), result.stderr(),
        JsonReportReader.read(reportFile));
  }

  /** Runs the demo without the agent (then it has no report). */
  static Run withoutAgent(String... args) throws IOException, InterruptedException {
    ForkedJvm.Result result = ForkedJvm.java().timeout(BOUND).runJar(DEMOS_JAR, args);
    return new Run(result.exitCode(), result.stdout(), result.stderr(), null);
  }

  /**
   * {@code File.java:N} for the line of the demo source {@code path} (relative to
   * {@code dev/lockguard/demo}) that carries the comment {@code // marker}.
   */
  static String lineOf(String path, String marker) {
    return Markers.lineOf(SOURCES.resolve("dev/lockguard/demo").resolve(path + ".java"), marker);
  }
}
