package dev.lockguard.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Merges every report under {@code target/lockguard/} into one (findings deduplicated across
 * JVMs, lock-order cycles whose halves ran in different JVMs found) and writes it as {@code
 * lockguard.json} and {@code lockguard.txt} there. It never fails the build on findings: that
 * is {@code check}'s job.
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ReportMojo extends MergingMojo {

  @Override
  public void execute() throws MojoExecutionException {
    if (skip) {
      getLog().info("lockguard: skipped (lockguard.skip)");
      return;
    }
    List<String> reports = reports();
    if (reports.isEmpty()) {
      getLog().info("lockguard: no reports in " + reportDirectory + ", nothing to merge");
      return;
    }
    for (String[] format : new String[][] {{"json", MERGED_JSON}, {"text", "lockguard.txt"}}) {
      File output = new File(reportDirectory, format[1]);
      AgentJar.Outcome outcome = report(
          List.of("--format", format[0], "--output", output.getPath()), reports);
      warn(outcome.err());
      if (outcome.exitCode() != 0) {
        throw new MojoExecutionException("lockguard: cannot write " + output
            + "; the report command said: " + outcome.err().strip());
      }
    }
    getLog().info("lockguard: merged " + count(reports.size()) + " into "
        + new File(reportDirectory, MERGED_JSON) + " and lockguard.txt");
  }
}
