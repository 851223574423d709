package dev.lockguard.demo.e2e;

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
 * Runs {@code java -jar lockguard-demos.jar DEMO VARIANT} in a new JVM, with the real shaded agent
 * jar or without it, and reads back what it printed and the JSON report the agent wrote.
 */
final class DemoJvm {
  static final Path AGENT_JAR = Path.of(System.getProperty("lockguard.agentJar",
      "../agent/target/lockguard-agent.jar")).toAbsolutePath().normalize();
  static final Path DEMOS_JAR = Path.of(System.getProperty("lockguard.demosJar",
      "target/lockguard-demos.jar")).toAbsolutePath();
  static final Path SOURCES = Path.of(System.getProperty("lockguard.demoSources",
      "src/main/java")).toAbsolutePath();
  /** Every variant ends within 10 s by design; this only keeps a broken build from hanging. */
  private static final long BOUND_SECONDS = 60;

  private DemoJvm() {}

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
    assertThat(AGENT_JAR).as("the shaded agent jar (the reactor builds it before demo-apps)").exists();
    Path reportFile = dir.resolve(String.join("-", args) + ".json");
    String options = "report=" + reportFile + (extraOptions.isEmpty() ? "" : "," + extraOptions);
    Run run = start(List.of("-javaagent:" + AGENT_JAR + "=" + options), args);
    assertThat(reportFile).as("report file of %s", run).exists();
    return new Run(run.exitCode(), run.stdout(), run.stderr(), JsonReportReader.read(reportFile));
  }

  /** Runs the demo without the agent (then it has no report). */
  static Run withoutAgent(String... args) throws IOException, InterruptedException {
    return start(List.of(), args);
  }

  private static Run start(List<String> jvmArgs, String... args)
      throws IOException, InterruptedException {
    assertThat(DEMOS_JAR).as("the demos jar (run mvn package first)").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:off"); // appending to the boot class path disables CDS with a warning
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(DEMOS_JAR.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("lockguard-demo-out", ".txt");
    Path err = Files.createTempFile("lockguard-demo-err", ".txt");
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(String.join(" ", args) + " did not end within " + BOUND_SECONDS
            + " s; stdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
      }
      return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), null);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * {@code File.java:N} for the line of the demo source {@code path} (relative to
   * {@code dev/lockguard/demo}) that carries the comment {@code // marker}.
   */
  static String lineOf(String path, String marker) throws IOException {
    Path source = SOURCES.resolve("dev/lockguard/demo").resolve(path + ".java");
    List<String> lines = Files.readAllLines(source);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("// " + marker)) {
        return source.getFileName() + ":" + (i + 1);
      }
    }
    throw new AssertionError("no marker " + marker + " in " + source);
  }
}
