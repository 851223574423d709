package dev.lockguard.benchmarks.harness;

import dev.lockguard.benchmarks.Form;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs {@link HotLoopsMain} bare and under each agent jar, alternating run by run, and prints
 * each loop's best CPU time per operation and its ratio to bare. CPU time, and the best of many
 * runs, because a loaded machine inflates wall time by whatever else runs.
 *
 * <p>Usage: {@code HotLoopsHarness [--runs N] [--ops N] [--agents JAR[,JAR…]]} (default: the
 * agent jar this benchmarks jar was built with).
 */
public final class HotLoopsHarness {
  private HotLoopsHarness() {}

  public static void main(String[] args) throws Exception {
    int runs = 5;
    String ops = "2000000";
    List<String> agents = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--ops" -> ops = args[++i];
        case "--agents" -> agents.addAll(List.of(args[++i].split(",")));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: HotLoopsHarness [--runs N] [--ops N] [--agents JAR[,JAR...]]");
      }
    }
    if (agents.isEmpty()) {
      agents.add(new ChildJvm(null).agentJar());
    }
    List<String> forms = new ArrayList<>();
    forms.add("bare");
    forms.addAll(agents);
    Map<String, Map<String, Double>> best = new LinkedHashMap<>();
    for (int run = 0; run < runs; run++) {
      for (String form : forms) {
        for (String line : ChildJvm.run(command(form, ops)).split("\n")) {
          String[] parts = line.trim().split(" ");
          if (parts.length == 3 && parts[0].equals("hot-loop")) {
            best.computeIfAbsent(parts[1], k -> new LinkedHashMap<>())
                .merge(form, Double.parseDouble(parts[2]), Math::min);
          }
        }
      }
    }
    System.out.print(table(best, forms, runs));
  }

  private static List<String> command(String form, String ops) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!form.equals("bare")) {
      command.add("-javaagent:" + form);
    }
    command.add(Form.BARE.jvmArg()); // the loops use JDK locks in every form
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HotLoopsMain.class.getName());
    command.add(ops);
    return command;
  }

  static String table(Map<String, Map<String, Double>> best, List<String> forms, int runs) {
    StringBuilder out = new StringBuilder("| loop | bare ns/op |");
    StringBuilder rule = new StringBuilder("|---|---:|");
    for (int i = 1; i < forms.size(); i++) {
      out.append(" agent ").append(i).append(" ns/op | ÷ bare |");
      rule.append("---:|---:|");
    }
    out.append('\n').append(rule).append('\n');
    for (Map.Entry<String, Map<String, Double>> loop : best.entrySet()) {
      double bare = loop.getValue().get("bare");
      out.append(String.format(Locale.ROOT, "| %s | %.2f |", loop.getKey(), bare));
      for (int i = 1; i < forms.size(); i++) {
        double agent = loop.getValue().get(forms.get(i));
        out.append(String.format(Locale.ROOT, " %.2f | %.2fx |", agent, agent / bare));
      }
      out.append('\n');
    }
    out.append(String.format(Locale.ROOT,
        "%nBest thread CPU time per operation over %d runs per form, forms alternating.%n", runs));
    for (int i = 1; i < forms.size(); i++) {
      out.append("agent ").append(i).append(": `").append(forms.get(i)).append("`\n");
    }
    return out.toString();
  }
}
