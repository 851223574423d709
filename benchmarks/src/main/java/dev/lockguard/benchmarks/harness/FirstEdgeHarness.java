package dev.lockguard.benchmarks.harness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link FirstEdgeMain} under one or more agent jars, alternating run by run, each with a
 * JSON report file (so that a finding is written and forced to disk, as with {@code report=}) and
 * stderr going to a file. Prints one Markdown row per run: what the first sight of an edge, and
 * the first finding, cost the thread that holds the application's lock.
 *
 * <p>Usage: {@code FirstEdgeHarness [--runs N] [--agents JAR[,JAR…]]} (default: the agent jar this
 * benchmarks jar was built with); put the jar before a change and the jar after it side by side
 * to compare them in one run.
 */
public final class FirstEdgeHarness {
  private FirstEdgeHarness() {}

  public static void main(String[] args) throws Exception {
    int runs = 5;
    List<String> agents = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--agents" -> agents.addAll(SideBySide.agents(args[++i]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: FirstEdgeHarness [--runs N] [--agents JAR[,JAR...]]");
      }
    }
    if (agents.isEmpty()) {
      agents.add(new ChildJvm(null).agentJar());
    }
    Path dir = Files.createTempDirectory("lockguard-first-edge");
    System.out.println("| agent jar | run | known edge ns (p50) | new edge µs (p50, p99, max)"
        + " | first cycle µs | repeat cycle µs (p50, max) |");
    System.out.println("|---|---:|---:|---|---:|---|");
    for (int run = 1; run <= runs; run++) {
      for (String agent : agents) {
        String line = runOnce(agent, dir, run);
        System.out.println(row(agent, run, line));
      }
    }
  }

  private static String runOnce(String agent, Path dir, int run)
      throws IOException, InterruptedException {
    Path report = dir.resolve("report-" + run + "-" + Math.abs(agent.hashCode()) + ".json");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + agent + "=report=" + report, "-cp", System.getProperty("java.class.path"),
        FirstEdgeMain.class.getName());
    File stderr = dir.resolve("stderr-" + run + ".txt").toFile();
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.to(stderr)).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0 || !output.startsWith("first-edge ")) {
      throw new IllegalStateException("child failed: " + String.join(" ", command) + "\n"
          + output + Files.readString(stderr.toPath()));
    }
    if (!Files.readString(report).contains("POTENTIAL_DEADLOCK")) {
      throw new IllegalStateException("the agent reported no cycle in " + report
          + ": it did not watch the child's locks");
    }
    return output.trim();
  }

  /** {@code first-edge knownNs=1 newEdgeUs=a,b,c …} as a table row. */
  static String row(String agent, int run, String line) {
    StringBuilder row = new StringBuilder("| `" + agent + "` | " + run + " |");
    for (String field : line.substring("first-edge ".length()).split(" ")) {
      row.append(' ').append(field.substring(field.indexOf('=') + 1).replace(",", ", "))
          .append(" |");
    }
    return row.toString();
  }
}
