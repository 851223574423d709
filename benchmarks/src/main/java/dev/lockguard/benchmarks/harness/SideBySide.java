package dev.lockguard.benchmarks.harness;

import dev.lockguard.benchmarks.Form;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one child program bare and under each agent jar, alternating run by run so that a slow
 * spell of a shared machine hits every form alike, and tabulates what the children measured.
 *
 * <p>A child prints one line {@code measure NAME VALUE} per figure, each a cost (lower is
 * better: nanoseconds per operation, milliseconds of CPU); other lines pass through to the
 * caller. Each figure's best (lowest) value over the runs is compared with bare's.
 */
final class SideBySide {
  private final List<String> forms = new ArrayList<>();
  private final List<String> jvmArgs;
  private final String classPath;
  private final Class<?> main;
  private final List<String> args;
  /** Figure name to form to every value measured. */
  private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  /**
   * @param agents the agent jars; none means the one this benchmarks jar was built with
   */
  SideBySide(List<String> agents, List<String> jvmArgs, String classPath, Class<?> main,
      String... args) {
    forms.add("bare");
    forms.addAll(agents.isEmpty() ? List.of(new ChildJvm(null).agentJar()) : agents);
    this.jvmArgs = jvmArgs;
    this.classPath = classPath;
    this.main = main;
    this.args = List.of(args);
  }

  /** Runs every form {@code runs} times, alternating; fails if a child fails. */
  SideBySide run(int runs) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("lockguard-side-by-side");
    for (int run = 0; run < runs; run++) {
      for (String form : forms) {
        File stderr = dir.resolve("stderr-" + run + "-" + forms.indexOf(form) + ".txt").toFile();
        Process process = new ProcessBuilder(command(form))
            .redirectError(ProcessBuilder.Redirect.to(stderr)).start();
        String output =
            new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
          throw new IllegalStateException("child failed (" + form + "): "
              + String.join(" ", command(form)) + "\n" + output + "\nstderr: " + stderr);
        }
        collect(form, output);
      }
    }
    return this;
  }

  private void collect(String form, String output) {
    for (String line : output.split("\n")) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 3 && parts[0].equals("measure")) {
        values.computeIfAbsent(parts[1], k -> new LinkedHashMap<>())
            .computeIfAbsent(form, k -> new ArrayList<>()).add(Double.parseDouble(parts[2]));
      } else if (!line.isBlank() && !notes.contains(form + ": " + line.trim())) {
        notes.add(form + ": " + line.trim());
      }
    }
  }

  private List<String> command(String form) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!form.equals("bare")) {
      command.add("-javaagent:" + form);
    }
    command.add(Form.BARE.jvmArg()); // the children use JDK locks in every form
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(args);
    return command;
  }

  /** The table: each figure's best and median per form, and the best's ratio to bare. */
  String table(int runs) {
    StringBuilder out = new StringBuilder("| figure | bare best (median) |");
    StringBuilder rule = new StringBuilder("|---|---:|");
    for (int i = 1; i < forms.size(); i++) {
      out.append(" agent ").append(i).append(" best (median) | ÷ bare |");
      rule.append("---:|---:|");
    }
    out.append('\n').append(rule).append('\n');
    for (Map.Entry<String, Map<String, List<Double>>> figure : values.entrySet()) {
      double bare = best(figure.getValue().get("bare"));
      out.append("| ").append(figure.getKey()).append(" | ")
          .append(cell(figure.getValue().get("bare"))).append(" |");
      for (int i = 1; i < forms.size(); i++) {
        List<Double> agent = figure.getValue().get(forms.get(i));
        out.append(' ').append(cell(agent)).append(" | ")
            .append(String.format(Locale.ROOT, "%.2fx", best(agent) / bare)).append(" |");
      }
      out.append('\n');
    }
    out.append(String.format(Locale.ROOT,
        "%nBest (lowest) of %d runs per form, forms alternating run by run; median in brackets.%n",
        runs));
    for (int i = 1; i < forms.size(); i++) {
      out.append("agent ").append(i).append(": `").append(forms.get(i)).append("`\n");
    }
    for (String note : notes) {
      out.append("\n    ").append(note);
    }
    return out.append('\n').toString();
  }

  private static String cell(List<Double> values) {
    return String.format(Locale.ROOT, "%.2f (%.2f)", best(values), median(values));
  }

  private static double best(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /** Parses {@code --agents A,B} style arguments shared by the harnesses. */
  static List<String> agents(String list) {
    return List.of(list.split(","));
  }
}
