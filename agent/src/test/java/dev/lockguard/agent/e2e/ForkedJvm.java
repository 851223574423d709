package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a fixture's main class in a new JVM with the real, shaded agent jar, and reads back what
 * it printed and the JSON report it wrote.
 */
final class ForkedJvm {
  static final Path AGENT_JAR = Path.of(System.getProperty("lockguard.agentJar",
      "target/lockguard-agent.jar")).toAbsolutePath();
  static final Path FIXTURES = Path.of(System.getProperty("lockguard.fixtureClasspath",
      "target/test-classes")).toAbsolutePath();

  private final List<String> jvmArgs = new ArrayList<>();
  private String agentOptions = "";
  private boolean withAgent = true;

  static ForkedJvm withAgent(String options) {
    ForkedJvm jvm = new ForkedJvm();
    jvm.agentOptions = options;
    return jvm;
  }

  ForkedJvm jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  ForkedJvm withoutAgent() {
    withAgent = false;
    return this;
  }

  /** The command line for {@code mainClass}. */
  List<String> command(String mainClass, String... args) {
    assertThat(AGENT_JAR).as("the shaded agent jar (run mvn package first)").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:off"); // appending to the boot class path disables CDS with a warning
    if (withAgent) {
      command.add("-javaagent:" + AGENT_JAR + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
    }
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(FIXTURES.toString());
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /** Runs {@code mainClass} to the end (at most two minutes). */
  Result run(String mainClass, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("lockguard-out", ".txt");
    Path err = Files.createTempFile("lockguard-err", ".txt");
    Process process = new ProcessBuilder(command(mainClass, args))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(mainClass + " did not finish within two minutes; stderr:\n"
          + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code mainClass}, returns the first line it prints on stdout, then kills it
   * (SIGKILL). For fixtures that end by waiting to be killed.
   */
  String runUntilLine(String mainClass, String... args) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command(mainClass, args))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (java.io.BufferedReader out = new java.io.BufferedReader(
        new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      return out.readLine();
    } finally {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** What a forked JVM left behind. */
  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** A fixture's run: what it printed and the report it wrote. */
  record Outcome(Result result, Report report) {
    /** The one violation of the report. */
    dev.lockguard.report.Violation only() {
      assertThat(report.violations()).as(result.toString()).hasSize(1);
      return report.violations().get(0);
    }
  }

  /**
   * Runs {@code fixtures.FIXTURE} under the agent with {@code options} (may be empty) and a
   * report in {@code dir}; asserts it exited normally and that instrumentation was applied.
   */
  static Outcome runFixture(Path dir, String options, String fixture, String... args)
      throws IOException, InterruptedException {
    Path reportFile = dir.resolve(fixture + ".json");
    Result result = withAgent("report=" + reportFile + (options.isEmpty() ? "" : "," + options))
        .run("fixtures." + fixture, args);
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
   * {@code File.java:N} for the line of {@code fixtures/File.java} that carries {@code marker};
   * {@code fixture} may name a sub-package ({@code latch/File}).
   */
  static String lineOf(String fixture, String marker) throws IOException {
    Path source = Path.of("src/test/java/fixtures", fixture + ".java");
    List<String> lines = Files.readAllLines(source);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("// " + marker)) {
        return source.getFileName() + ":" + (i + 1);
      }
    }
    throw new AssertionError("no marker " + marker + " in " + source);
  }
}
