package dev.lockguard.agent.report;

import dev.lockguard.report.Report;
import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds several reports (one per JVM, or per test) into one: a finding with the same id in
 * several reports is one bug, shown once as the worst of its reports ({@link
 * Violation#isWorseThan}) with their counts added; counters are summed.
 *
 * <p>The lock-order graphs the reports carry are unioned, and a cycle whose halves were seen in
 * different JVMs becomes a finding of its own ({@link GraphMerge}). The merged report names the
 * first report's JVM and carries the union graph, so that it can be merged again.
 */
final class ReportMerge {
  /** How many pids of JVMs that ran the same thing the JVMs line shows. */
  private static final int SHOWN_PIDS = 3;
  /** The main class of a surefire fork started from a manifest-only jar's class path. */
  private static final String SUREFIRE_BOOTER = "org.apache.maven.surefire.booter.ForkedBooter";

  private ReportMerge() {}

  /** The reports folded into one, findings in the order they first appear. */
  static Report merge(List<Report> reports) {
    return merge(reports, List.of());
  }

  /**
   * The reports folded into one, findings in the order they first appear, then the cycles found
   * only across reports; {@code sources} names each report (its file) in those cycles' messages.
   */
  static Report merge(List<Report> reports, List<String> sources) {
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("no reports to merge");
    }
    Map<String, Violation> byId = new LinkedHashMap<>();
    for (Report report : reports) {
      for (Violation violation : report.violations()) {
        byId.merge(violation.id(), violation, Violation::mergedWith);
      }
    }
    for (Violation cycle : GraphMerge.crossJvmCycles(reports, sources)) {
      byId.putIfAbsent(cycle.id(), cycle); // one JVM saw it whole: its finding stands
    }
    return new Report(reports.get(0).jvm(), new ArrayList<>(byId.values()), sum(reports),
        GraphMerge.union(reports));
  }

  /**
   * One line naming the JVMs merged: {@code 2 JVMs: pid 11 (surefire fork in /repo/module, Java
   * 17), ...}. A surefire fork is named as one, not by its booter jar's temporary path or its
   * booter class, with the directory it ran in, which names the module. JVMs that ran the same
   * thing in the same place are one entry with a count and their first pids ({@code 46 x surefire
   * fork in /repo, Java 17 (pids 11, 12, 13 and 43 more)}): a suite that forks a JVM per test class
   * still gets a line a person can read.
   */
  static String jvms(List<Report> reports) {
    Map<String, List<Long>> pidsByRun = new LinkedHashMap<>();
    Set<Long> seen = new HashSet<>();
    for (Report report : reports) {
      Report.JvmInfo jvm = report.jvm();
      if (!seen.add(jvm.pid())) {
        continue;
      }
      String where = jvm.workingDirectory().isEmpty() ? ""
          : " in " + TextReport.printable(jvm.workingDirectory());
      pidsByRun.computeIfAbsent(ran(jvm.mainClass()) + where + ", Java " + jvm.javaVersion(),
          run -> new ArrayList<>()).add(jvm.pid());
    }
    List<String> entries = new ArrayList<>();
    pidsByRun.forEach((run, pids) -> entries.add(pids.size() == 1
        ? "pid " + pids.get(0) + " (" + run + ")"
        : pids.size() + " x " + run + " (pids " + firstPids(pids) + ")"));
    return seen.size() + (seen.size() == 1 ? " JVM: " : " JVMs: ") + String.join(", ", entries);
  }

  /** {@code 11, 12, 13 and 43 more}. */
  private static String firstPids(List<Long> pids) {
    int shown = Math.min(pids.size(), SHOWN_PIDS);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < shown; i++) {
      out.append(i == 0 ? "" : ", ").append(pids.get(i));
    }
    return pids.size() > shown ? out + " and " + (pids.size() - shown) + " more" : out.toString();
  }

  /** What a JVM ran, from its main class or jar. */
  private static String ran(String mainClass) {
    String name = mainClass.substring(mainClass.lastIndexOf('/') + 1);
    if (name.startsWith("surefirebooter") || name.equals(SUREFIRE_BOOTER)) {
      return "surefire fork";
    }
    return name.isEmpty() ? "unknown" : TextReport.printable(name);
  }

  private static Report.Stats sum(List<Report> reports) {
    long locksSeen = 0;
    long edges = 0;
    long acquisitions = 0;
    long latchesSeen = 0;
    for (Report report : reports) {
      Report.Stats stats = report.stats();
      locksSeen += stats.locksSeen();
      edges += stats.edges();
      acquisitions += stats.acquisitions();
      latchesSeen += stats.latchesSeen();
    }
    return new Report.Stats(locksSeen, edges, acquisitions, latchesSeen);
  }
}
