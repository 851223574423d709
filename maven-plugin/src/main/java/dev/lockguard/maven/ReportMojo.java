package dev.lockguard.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Merges every report under {@code target/lockguard/} into one (findings deduplicated across
 * JVMs, lock-order cycles whose halves ran in different JVMs found) and writes it there as {@code
 * lockguard.html} (a page to read), {@code lockguard.sarif} (SARIF 2.1.0 for code scanning, its
 * locations in the project's source roots, relative to {@link #sourceBase}), {@code
 * lockguard.json} and {@code lockguard.txt}. It never fails the build on findings: that is {@code
 * check}'s job.
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ReportMojo extends MergingMojo {

  @Parameter(defaultValue = "${project.compileSourceRoots}", readonly = true, required = true)
  List<String> compileSourceRoots;

  @Parameter(defaultValue = "${project.testCompileSourceRoots}", readonly = true, required = true)
  List<String> testCompileSourceRoots;

  /**
   * What SARIF locations are relative to: the repository root, so that code scanning finds the
   * files. The directory Maven was started in, by default.
   */
  @Parameter(property = "lockguard.sourceBase", defaultValue = "${session.executionRootDirectory}")
  File sourceBase;

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
    List<String> sources = new ArrayList<>();
    for (String root : concat(compileSourceRoots, testCompileSourceRoots)) {
      sources.add("--source-root");
      sources.add(root);
    }
    sources.add("--base");
    sources.add(sourceBase.getAbsolutePath());
    for (String[] format : new String[][] {{"html", "lockguard.html"},
        {"sarif", "lockguard.sarif"}, {"json", MERGED_JSON}, {"text", "lockguard.txt"}}) {
      File output = new File(reportDirectory, format[1]);
      List<String> options = new ArrayList<>(List.of("--format", format[0], "--output",
          output.getPath()));
      options.addAll(sources);
      AgentJar.Outcome outcome = report(options, reports);
      warn(outcome.err());
      if (outcome.exitCode() != 0) {
        throw new MojoExecutionException("lockguard: cannot write " + output
            + "; the report command said: " + outcome.err().strip());
      }
    }
    getLog().info("lockguard: merged " + count(reports.size()) + " into "
        + new File(reportDirectory, "lockguard.html") + " and lockguard.sarif, .json, .txt");
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first == null ? List.of() : first);
    if (second != null) {
      all.addAll(second);
    }
    return all;
  }
}
