package dev.lockguard.agent.report;

import dev.lockguard.report.Report;
import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Renders the lock-order edges of every violation in a report as one Graphviz digraph. */
final class DotGraph {

  private DotGraph() {}

  /** One DOT edge per lock pair, labelled with every thread that took it, in report order. */
  static String render(Report report) {
    Map<String, Set<String>> threadsByEdge = new LinkedHashMap<>();
    for (Violation violation : report.violations()) {
      for (EdgeRef edge : violation.edges()) {
        String key = dotId(edge.from()) + " -> " + dotId(edge.to());
        threadsByEdge.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(edge.thread());
      }
    }
    StringBuilder out = new StringBuilder("digraph lockguard {\n");
    out.append("  node [shape=box];\n");
    threadsByEdge.forEach(
        (edge, threads) ->
            out.append("  ")
                .append(edge)
                .append(" [label=")
                .append(dotId(String.join(", ", threads)))
                .append("];\n"));
    return out.append("}\n").toString();
  }

  /**
   * Quotes {@code name} as a DOT ID.
   *
   * <p>DOT's lexer reads {@code \"} as a quote even after a backslash, so a name ending in a
   * backslash gets a trailing space to keep its closing quote a quote.
   */
  private static String dotId(String name) {
    String escaped = TextReport.printable(name).replace("\\", "\\\\").replace("\"", "\\\"");
    return "\"" + escaped + (escaped.endsWith("\\") ? " \"" : "\"");
  }
}
