package dev.lockguard.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one JMH run's CSV results into the side-by-side table of {@code docs/performance.md}.
 *
 * <p>Ratios are taken within the run only, never against figures of another run. With
 * {@code --expected FILE} (the output of {@code benchmarks.jar -l}), a benchmark listed there but
 * missing from the results fails the summary: that is how {@code run.sh --quick} checks that
 * every benchmark ran.
 *
 * <p>Usage: {@code Summary RESULTS.csv [--expected LIST] [--out FILE.md]}
 */
public final class Summary {
  /** The forms (benchmark method names), in table column order. */
  static final List<String> FORMS = List.of("bare", "lockguard", "guava");

  /** Workload order of the table; workloads not named here follow in the order first seen. */
  static final List<String> ORDER =
      List.of(
          "UncontendedLock",
          "Nested depth=2",
          "Nested depth=3",
          "Nested depth=4",
          "SynchronizedBlock",
          "SynchronizedNested",
          "NewLock",
          "NewLockNewEdge",
          "Contended",
          "ReadersOnly");

  /** Below this many bytes per operation, the gc profiler's figure is noise: shown as 0. */
  static final double ZERO_BYTES = 0.5;

  private final Map<String, Map<String, Result>> results = new LinkedHashMap<>();
  private final Set<String> benchmarksSeen = new LinkedHashSet<>();

  /** One benchmark's score in one form. */
  static final class Result {
    double score = Double.NaN;
    double error = Double.NaN;
    String unit = "";
    double bytesPerOp = Double.NaN;
  }

  public static void main(String[] args) throws IOException {
    Path csv = null;
    Path expected = null;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--expected" -> expected = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> csv = Path.of(args[i]);
      }
    }
    if (csv == null) {
      System.err.println("usage: Summary RESULTS.csv [--expected LIST] [--out FILE.md]");
      System.exit(2);
    }
    Summary summary = parse(Files.readAllLines(csv, StandardCharsets.UTF_8));
    String table = summary.markdown();
    System.out.print(table);
    if (out != null) {
      Files.writeString(out, table, StandardCharsets.UTF_8);
    }
    if (expected != null) {
      List<String> missing = summary.missing(Files.readAllLines(expected, StandardCharsets.UTF_8));
      if (!missing.isEmpty()) {
        System.err.println("MISSING RESULTS for " + missing.size() + " benchmark(s): " + missing);
        System.exit(1);
      }
    }
  }

  /** Reads JMH's CSV format ({@code -rf csv}), including secondary (profiler) rows. */
  static Summary parse(List<String> lines) {
    Summary summary = new Summary();
    if (lines.isEmpty()) {
      return summary;
    }
    List<String> header = splitCsv(lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        summary.add(header, splitCsv(line));
      }
    }
    return summary;
  }

  private void add(List<String> header, List<String> row) {
    String benchmark = row.get(0);
    String secondary = null;
    int colon = benchmark.indexOf(':');
    if (colon >= 0) {
      secondary = benchmark.substring(colon + 1);
      benchmark = benchmark.substring(0, colon);
    }
    // dev.lockguard.benchmarks.WORKLOAD.FORM: a class per workload, a method per form.
    int lastDot = benchmark.lastIndexOf('.');
    String form = benchmark.substring(lastDot + 1);
    String clazz = benchmark.substring(benchmark.lastIndexOf('.', lastDot - 1) + 1, lastDot);
    String workload = clazz + params(header, row);
    Result result =
        results.computeIfAbsent(workload, k -> new LinkedHashMap<>())
            .computeIfAbsent(form, k -> new Result());
    if (secondary == null) {
      benchmarksSeen.add(benchmark);
      result.score = number(row.get(4));
      result.error = number(row.get(5));
      result.unit = row.get(6);
    } else if (secondary.equals("gc.alloc.rate.norm")) {
      result.bytesPerOp = number(row.get(4));
    }
  }

  private static String params(List<String> header, List<String> row) {
    StringBuilder text = new StringBuilder();
    for (int i = 7; i < header.size() && i < row.size(); i++) {
      if (!row.get(i).isEmpty()) {
        text.append(' ').append(header.get(i).replace("Param: ", "")).append('=').append(row.get(i));
      }
    }
    return text.toString();
  }

  /** Names in {@code listing} (JMH's {@code -l} output) with no result in this run. */
  List<String> missing(List<String> listing) {
    List<String> missing = new ArrayList<>();
    for (String line : listing) {
      String name = line.trim();
      if (name.contains(".") && !name.contains(" ") && !benchmarksSeen.contains(name)) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** The results table, then the targets of issue 8 checked against it. */
  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("| workload | bare | lockguard | Guava | lockguard ÷ bare | Guava ÷ bare")
        .append(" | lockguard ÷ Guava | B/op bare | B/op lockguard | B/op Guava |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String workload : orderedWorkloads()) {
      Map<String, Result> byForm = results.get(workload);
      Result bare = byForm.get(FORMS.get(0));
      Result agent = byForm.get(FORMS.get(1));
      Result guava = byForm.get(FORMS.get(2));
      out.append("| ").append(workload)
          .append(" | ").append(score(bare))
          .append(" | ").append(score(agent))
          .append(" | ").append(score(guava))
          .append(" | ").append(ratio(agent, bare))
          .append(" | ").append(ratio(guava, bare))
          .append(" | ").append(ratio(agent, guava))
          .append(" | ").append(bytes(bare))
          .append(" | ").append(bytes(agent))
          .append(" | ").append(bytes(guava))
          .append(" |\n");
    }
    out.append('\n').append(targets());
    return out.toString();
  }

  private List<String> orderedWorkloads() {
    List<String> ordered = new ArrayList<>();
    for (String workload : ORDER) {
      if (results.containsKey(workload)) {
        ordered.add(workload);
      }
    }
    for (String workload : results.keySet()) {
      if (!ordered.contains(workload)) {
        ordered.add(workload);
      }
    }
    return ordered;
  }

  /** The targets of issue 8 that the JMH figures decide; start-up and memory have their own. */
  String targets() {
    StringBuilder out = new StringBuilder();
    out.append("| target | figure | verdict |\n|---|---|---|\n");
    for (String workload : List.of("UncontendedLock", "Nested depth=2", "SynchronizedNested")) {
      Result bare = get(workload, 0);
      Result agent = get(workload, 1);
      Result guava = get(workload, 2);
      out.append(row("known-edge acquire+release (" + workload + ") ≤ 2x bare",
          ratio(agent, bare), verdict(agent, bare, 2.0)));
      if (guava != null) {
        out.append(row("known-edge acquire+release (" + workload + ") ≤ Guava",
            ratio(agent, guava), verdict(agent, guava, 1.0)));
      }
    }
    Result bare4 = get("Nested depth=4", 0);
    Result agent4 = get("Nested depth=4", 1);
    out.append(row("Nested depth=4 ≤ 3x bare", ratio(agent4, bare4), verdict(agent4, bare4, 3.0)));
    for (String workload : List.of("UncontendedLock", "Nested depth=2", "Nested depth=3",
        "Nested depth=4", "SynchronizedBlock", "SynchronizedNested")) {
      Result agent = get(workload, 1);
      String verdict = agent == null || Double.isNaN(agent.bytesPerOp)
          ? "not measured" : agent.bytesPerOp < ZERO_BYTES ? "met" : "MISSED";
      out.append(row("known edges: 0 B/op (" + workload + ")", bytes(agent), verdict));
    }
    return out.toString();
  }

  private Result get(String workload, int form) {
    Map<String, Result> byForm = results.get(workload);
    return byForm == null ? null : byForm.get(FORMS.get(form));
  }

  private static String row(String target, String figure, String verdict) {
    return "| " + target + " | " + figure + " | " + verdict + " |\n";
  }

  private static String verdict(Result measured, Result reference, double bound) {
    if (!present(measured) || !present(reference)) {
      return "not measured";
    }
    return measured.score / reference.score <= bound ? "met" : "MISSED";
  }

  private static boolean present(Result result) {
    return result != null && !Double.isNaN(result.score);
  }

  static String score(Result result) {
    if (!present(result)) {
      return "–";
    }
    String unit = result.unit.isEmpty() ? "" : " " + result.unit;
    if (Double.isNaN(result.error)) {
      return format(result.score) + unit;
    }
    return format(result.score) + " ± " + format(result.error) + unit;
  }

  static String ratio(Result measured, Result reference) {
    if (!present(measured) || !present(reference)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2fx", measured.score / reference.score);
  }

  static String bytes(Result result) {
    if (result == null || Double.isNaN(result.bytesPerOp)) {
      return "–";
    }
    return result.bytesPerOp < ZERO_BYTES ? "0" : String.format(Locale.ROOT, "%.0f", result.bytesPerOp);
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
  }

  private static double number(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Splits one CSV line; JMH quotes strings and never embeds quotes in them. */
  static List<String> splitCsv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }
}
