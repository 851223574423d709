package dev.lockguard.agent.report;

import dev.lockguard.report.Report;
import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders a report as one self-contained HTML page: no scripts, fonts or style sheets from
 * elsewhere, so that it reads the same offline and from a CI artifact. A summary table of the
 * findings by kind and severity, then each finding with its message, its threads and locks, its
 * cycle drawn as an inline SVG graph, and both stacks of every edge. The markup is well-formed
 * XML too (every element closed, every text escaped), which the tests check.
 */
final class HtmlReport {
  private static final String STYLE = "body{font-family:sans-serif;margin:2em;max-width:70em}"
      + "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .8em;"
      + "text-align:right}th:first-child,td:first-child{text-align:left}"
      + ".ERROR{color:#b00020}.WARNING{color:#a15c00}.INFO{color:#0b5394}"
      + "section{border-top:1px solid #ccc;margin-top:1.5em}pre{background:#f4f4f4;"
      + "padding:.5em;overflow-x:auto}.stacks{display:flex;gap:1em}.stacks>div{flex:1;"
      + "min-width:0}svg text{font-size:12px}";

  private HtmlReport() {}

  static String render(Report report) {
    StringBuilder out = new StringBuilder(16384);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>lockguard report</title>\n<style>").append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>lockguard report</h1>\n");
    Report.JvmInfo jvm = report.jvm();
    Report.Stats stats = report.stats();
    out.append("<p>JVM pid ").append(jvm.pid()).append(", Java ").append(text(jvm.javaVersion()))
        .append(", started ").append(text(jvm.startedAt())).append(". ")
        .append(stats.locksSeen()).append(" locks seen, ").append(stats.edges())
        .append(" lock-order edges, ").append(stats.acquisitions())
        .append(" acquisitions.</p>\n");
    summary(out, report.violations());
    int index = 1;
    for (Violation violation : report.violations()) {
      finding(out, violation, index++);
    }
    return out.append("</body>\n</html>\n").toString();
  }

  /** A table of findings: a row per kind, a column per severity. */
  private static void summary(StringBuilder out, List<Violation> violations) {
    if (violations.isEmpty()) {
      out.append("<p>No findings.</p>\n");
      return;
    }
    Map<Violation.Kind, int[]> counts = new EnumMap<>(Violation.Kind.class);
    for (Violation violation : violations) {
      counts.computeIfAbsent(violation.kind(), k -> new int[3])[violation.severity().ordinal()]++;
    }
    out.append("<table>\n<tr><th>kind</th>");
    for (Violation.Severity severity : Violation.Severity.values()) {
      out.append("<th class=\"").append(severity).append("\">").append(severity).append("</th>");
    }
    out.append("</tr>\n");
    for (Map.Entry<Violation.Kind, int[]> row : counts.entrySet()) {
      out.append("<tr><td>").append(row.getKey()).append("</td>");
      for (int count : row.getValue()) {
        out.append("<td>").append(count).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</table>\n");
  }

  private static void finding(StringBuilder out, Violation violation, int index) {
    out.append("<section id=\"finding-").append(index).append("\">\n<h2 class=\"")
        .append(violation.severity()).append("\">").append(index).append(". ")
        .append(violation.kind()).append(" (").append(violation.severity())
        .append(violation.confirmation() == null ? ""
            : ", " + violation.confirmation().status())
        .append(")</h2>\n")
        .append(violation.confirmation() == null ? "" : "<p><strong>"
            + text(TextReport.confirmationSummary(violation.confirmation())) + "</strong></p>\n")
        .append("<p>").append(text(violation.message())).append("</p>\n")
        .append("<p>id ").append(text(violation.id())).append(", seen ")
        .append(violation.counts().occurrences()).append(" times")
        .append(violation.observed() ? ", observed happening" : "").append("</p>\n");
    if (!violation.threads().isEmpty()) {
      out.append("<p>Threads: ").append(text(String.join(", ", violation.threads())))
          .append("</p>\n");
    }
    if (!violation.locks().isEmpty()) {
      out.append("<ul>\n");
      for (Violation.LockRef lock : violation.locks()) {
        out.append("<li><code>").append(text(lock.name())).append("</code> (")
            .append(text(lock.type())).append(")</li>\n");
      }
      out.append("</ul>\n");
    }
    if (!violation.edges().isEmpty()) {
      graph(out, violation.edges());
    }
    for (Violation.EdgeRef edge : violation.edges()) {
      out.append("<h3>").append(text(edge.from())).append(" &#8594; ").append(text(edge.to()))
          .append(", thread ").append(text(edge.thread())).append("</h3>\n<div class=\"stacks\">")
          .append("<div><p>holds ").append(text(edge.from())).append(", taken at</p>");
      stack(out, edge.heldAt());
      out.append("</div><div><p>takes ").append(text(edge.to())).append(" at</p>");
      stack(out, edge.acquiredAt());
      out.append("</div></div>\n");
    }
    if (!violation.sites().isEmpty()) {
      out.append("<p>Sites</p>\n");
      stack(out, violation.sites());
    }
    for (Violation.WaiterRef waiter : violation.waiters()) {
      out.append("<p>Thread ").append(text(waiter.thread())).append(" waiting on ")
          .append(text(waiter.latch())).append("</p>\n");
      stack(out, waiter.stack());
    }
    out.append("</section>\n");
  }

  private static void stack(StringBuilder out, List<String> frames) {
    out.append("<pre>");
    for (String frame : frames) {
      out.append(text(frame)).append('\n');
    }
    out.append("</pre>");
  }

  /** The edges as a graph: the locks on a circle, each edge a curved arrow named by its thread. */
  private static void graph(StringBuilder out, List<Violation.EdgeRef> edges) {
    Set<String> names = new LinkedHashSet<>();
    for (Violation.EdgeRef edge : edges) {
      names.add(edge.from());
      names.add(edge.to());
    }
    List<String> nodes = new ArrayList<>(names);
    int width = 520;
    int height = 320;
    double radius = nodes.size() == 1 ? 0 : 110;
    double[][] at = new double[nodes.size()][];
    for (int i = 0; i < nodes.size(); i++) {
      double angle = Math.PI + 2 * Math.PI * i / nodes.size();
      at[i] = new double[] {width / 2.0 + radius * Math.cos(angle),
          height / 2.0 + radius * Math.sin(angle)};
    }
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
        .append(' ').append(height).append("\" role=\"img\"><title>lock-order cycle</title>")
        .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\"")
        .append(" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">")
        .append("<path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>");
    for (Violation.EdgeRef edge : edges) {
      double[] from = at[nodes.indexOf(edge.from())];
      double[] to = at[nodes.indexOf(edge.to())];
      // bend each edge to its left, so that A->B and B->A do not overlap
      double mx = (from[0] + to[0]) / 2 + (to[1] - from[1]) * 0.25;
      double my = (from[1] + to[1]) / 2 - (to[0] - from[0]) * 0.25;
      out.append("<path d=\"M").append(fmt(from[0])).append(',').append(fmt(from[1]))
          .append(" Q").append(fmt(mx)).append(',').append(fmt(my)).append(' ')
          .append(fmt(to[0])).append(',').append(fmt(to[1]))
          .append("\" fill=\"none\" stroke=\"#b00020\" stroke-width=\"1.5\"")
          .append(" marker-end=\"url(#arrow)\"/>")
          .append("<text x=\"").append(fmt(mx)).append("\" y=\"").append(fmt(my))
          .append("\" text-anchor=\"middle\">").append(text(edge.thread())).append("</text>");
    }
    for (int i = 0; i < nodes.size(); i++) {
      out.append("<circle cx=\"").append(fmt(at[i][0])).append("\" cy=\"").append(fmt(at[i][1]))
          .append("\" r=\"5\"/><text x=\"").append(fmt(at[i][0])).append("\" y=\"")
          .append(fmt(at[i][1] - 10)).append("\" text-anchor=\"middle\" font-weight=\"bold\">")
          .append(text(nodes.get(i))).append("</text>");
    }
    out.append("</svg>\n");
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** Text escaped for HTML and XML; control characters other than tab and newline dropped. */
  static String text(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c >= 0x20 && c != 0x7f && !Character.isSurrogate(c) || c == '\n' || c == '\t') {
            out.append(c);
          } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1))) {
            out.append(c).append(value.charAt(++i));
          } else {
            out.append('\uFFFD');
          }
        }
      }
    }
    return out.toString();
  }
}
