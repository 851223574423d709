package dev.lockguard.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What {@code report} and {@code check} share: the reports under {@link #reportDirectory} (the
 * agent's per-JVM files and the JUnit extension's per-test files), merged by the agent jar's
 * report command into one report, with cycles found across JVMs.
 */
abstract class MergingMojo extends AbstractMojo {
  /** The merged JSON report the {@code report} goal writes; never read back as an input. */
  static final String MERGED_JSON = "lockguard.json";

  @Parameter(defaultValue = "${plugin.artifactMap}", readonly = true, required = true)
  Map<String, Artifact> pluginArtifactMap;

  /** Skips the goal. */
  @Parameter(property = "lockguard.skip", defaultValue = "false")
  boolean skip;

  /** Where the reports are, and where the merged ones go. */
  @Parameter(property = "lockguard.reportDirectory",
      defaultValue = "${project.build.directory}/lockguard")
  File reportDirectory;

  /** Every report under {@link #reportDirectory}, in path order; empty if there is none. */
  List<String> reports() throws MojoExecutionException {
    Path directory = reportDirectory.toPath();
    List<String> reports = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return reports;
    }
    Path merged = directory.resolve(MERGED_JSON);
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.filter(path -> path.getFileName().toString().endsWith(".json"))
          .filter(path -> !path.equals(merged))
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(path -> reports.add(path.toString()));
    } catch (IOException e) {
      throw new MojoExecutionException("lockguard: cannot list the reports in " + directory, e);
    }
    return reports;
  }

  /** Runs the agent jar's {@code report} command with {@code options} over {@code reports}. */
  AgentJar.Outcome report(List<String> options, List<String> reports)
      throws MojoExecutionException {
    List<String> args = new ArrayList<>();
    args.add("report");
    args.addAll(options);
    args.add("--");
    args.addAll(reports);
    return AgentJar.of(pluginArtifactMap).run(args);
  }

  /** {@code 1 report}, {@code 2 reports}. */
  static String count(int reports) {
    return reports + (reports == 1 ? " report" : " reports");
  }

  /** Logs what the command printed on its error stream, line by line, as warnings. */
  void warn(String err) {
    err.lines().filter(line -> !line.isBlank()).forEach(getLog()::warn);
  }
}
