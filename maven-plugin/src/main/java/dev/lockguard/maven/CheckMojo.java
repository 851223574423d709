package dev.lockguard.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Merges the reports as {@code report} does and fails the build when a finding is at or above
 * {@link #failOnSeverity} and of {@link #failOnKinds}, printing each such finding's kind,
 * severity, message, locks and sites. Bound after {@code report} in {@code verify}, so that the
 * rendered reports exist when the build fails.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends MergingMojo {
  static final List<String> SEVERITIES = List.of("ERROR", "WARNING", "INFO");
  static final List<String> KINDS = List.of("POTENTIAL_DEADLOCK", "LOCK_ORDER_VIOLATION",
      "DEADLOCK", "UNSAFE_QUEUE_CHECK", "REUSED_LATCH");

  /** The least severity that fails the build: {@code ERROR}, {@code WARNING} or {@code INFO}. */
  @Parameter(property = "lockguard.failOnSeverity", defaultValue = "ERROR")
  String failOnSeverity;

  /** The kinds of finding that fail the build; every kind if empty. */
  @Parameter(property = "lockguard.failOnKinds")
  List<String> failOnKinds;

  /** {@code false}: warn about the findings but let the build pass. */
  @Parameter(property = "lockguard.haltOnFailure", defaultValue = "true")
  boolean haltOnFailure;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("lockguard: skipped (lockguard.skip)");
      return;
    }
    List<String> options = options();
    List<String> reports = reports();
    if (reports.isEmpty()) {
      getLog().info("lockguard: no reports in " + reportDirectory + ", nothing to check");
      return;
    }
    AgentJar.Outcome outcome = report(options, reports);
    if (outcome.exitCode() == 0) {
      getLog().info("lockguard: no finding at or above " + failOnSeverity.toUpperCase(Locale.ROOT)
          + " in " + MergingMojo.count(reports.size()));
      return;
    }
    if (outcome.exitCode() != 1) {
      throw new MojoExecutionException("lockguard: cannot check the reports in "
          + reportDirectory + "; the report command said: " + outcome.err().strip());
    }
    String findings = outcome.err().strip();
    if (!haltOnFailure) {
      warn(findings);
      return;
    }
    throw new MojoFailureException(findings + "\nSee " + reportDirectory
        + " for the reports; set haltOnFailure=false to only warn.");
  }

  /** The command's options; a bad severity or kind fails naming its parameter. */
  List<String> options() throws MojoExecutionException {
    String severity = failOnSeverity == null ? "" : failOnSeverity.trim().toUpperCase(Locale.ROOT);
    if (!SEVERITIES.contains(severity)) {
      throw new MojoExecutionException("lockguard-maven-plugin: bad parameter <failOnSeverity>: '"
          + failOnSeverity + "' is not a severity; valid: " + String.join(", ", SEVERITIES));
    }
    List<String> options = new ArrayList<>(List.of("--format", "text", "--output",
        reportDirectory.toPath().resolve("lockguard.txt").toString(), "--fail-on", severity));
    if (failOnKinds != null && !failOnKinds.isEmpty()) {
      List<String> kinds = new ArrayList<>();
      for (String kind : failOnKinds) {
        String name = kind.trim().toUpperCase(Locale.ROOT);
        if (!KINDS.contains(name)) {
          throw new MojoExecutionException("lockguard-maven-plugin: bad parameter <failOnKinds>: '"
              + kind + "' is not a finding kind; valid: " + String.join(", ", KINDS));
        }
        kinds.add(name);
      }
      options.add("--fail-kinds");
      options.add(String.join(",", kinds));
    }
    return options;
  }
}
