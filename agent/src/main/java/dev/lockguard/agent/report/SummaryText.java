package dev.lockguard.agent.report;

import dev.lockguard.report.Report;
import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Severity;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a whole report as text: a summary line, then every violation as {@link TextReport}
 * renders it, separated by blank lines.
 */
final class SummaryText {

  private SummaryText() {}

  static String render(Report report) {
    StringBuilder out = new StringBuilder(4096);
    appendSummary(out, report);
    for (Violation violation : report.violations()) {
      out.append('\n').append(TextReport.render(violation));
    }
    return out.toString();
  }

  private static void appendSummary(StringBuilder out, Report report) {
    Report.JvmInfo jvm = report.jvm();
    out.append("lockguard report: pid ")
        .append(jvm.pid())
        .append(", main class ")
        .append(TextReport.printable(jvm.mainClass()))
        .append(", Java ")
        .append(TextReport.printable(jvm.javaVersion()))
        .append(", started ")
        .append(TextReport.printable(jvm.startedAt()))
        .append("; ");
    appendViolationCounts(out, report.violations());
    Report.Stats stats = report.stats();
    out.append("; stats: ")
        .append(stats.locksSeen())
        .append(" locks seen, ")
        .append(stats.edges())
        .append(" edges, ")
        .append(stats.acquisitions())
        .append(" acquisitions\n");
  }

  private static void appendViolationCounts(StringBuilder out, List<Violation> violations) {
    if (violations.isEmpty()) {
      out.append("no violations");
      return;
    }
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Violation violation : violations) {
      counts.merge(violation.severity(), 1, Integer::sum);
    }
    out.append(violations.size()).append(violations.size() == 1 ? " violation" : " violations");
    String separator = ": ";
    for (Severity severity : Severity.values()) {
      out.append(separator).append(counts.getOrDefault(severity, 0)).append(' ').append(severity);
      separator = ", ";
    }
  }
}
