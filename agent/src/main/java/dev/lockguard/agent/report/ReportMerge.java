package dev.lockguard.agent.report;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds several reports (one per JVM, or per test) into one: a finding with the same id in
 * several reports is one bug, shown once as the worst of its reports ({@link
 * Violation#isWorseThan}) with their counts added; counters are summed.
 *
 * <p>The merged report names the first report's JVM. It merges findings only: a lock-order cycle
 * whose halves were seen in different JVMs is not found here.
 */
final class ReportMerge {
  private ReportMerge() {}

  /** The reports folded into one, findings in the order they first appear. */
  static Report merge(List<Report> reports) {
    if (reports.isEmpty()) {
      throw new IllegalArgumentException("no reports to merge");
    }
    Map<String, Violation> byId = new LinkedHashMap<>();
    for (Report report : reports) {
      for (Violation violation : report.violations()) {
        byId.merge(violation.id(), violation, Violation::mergedWith);
      }
    }
    return new Report(reports.get(0).jvm(), new ArrayList<>(byId.values()), sum(reports));
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
