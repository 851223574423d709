package dev.lockguard.benchmarks.harness;

import dev.lockguard.benchmarks.Form;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times JVM start-up plus {@link TrivialMain}, with and without the agent.
 *
 * <p>Each run is a fresh JVM, timed from process start to exit. The forms alternate run by run,
 * so that a slow spell of the machine hits both alike; one untimed run of each form comes first
 * (it also verifies the form, and warms the file cache). The figure is the median.
 *
 * <p>Usage: {@code StartupHarness [--runs N] [--forms bare,lockguard] [--agent JAR]}
 */
public final class StartupHarness {
  private StartupHarness() {}

  public static void main(String[] args) throws Exception {
    int runs = 20;
    List<Form> forms = List.of(Form.BARE, Form.LOCKGUARD);
    String agent = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--forms" -> forms = forms(args[++i]);
        case "--agent" -> agent = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    ChildJvm child = new ChildJvm(agent);
    Map<Form, long[]> nanos = new EnumMap<>(Form.class);
    for (Form form : forms) {
      ChildJvm.run(child.command(form, List.of(), TrivialMain.class, "--verify"));
      nanos.put(form, new long[runs]);
    }
    for (int run = 0; run < runs; run++) {
      for (Form form : forms) {
        List<String> command = child.command(form, List.of(), TrivialMain.class);
        long start = System.nanoTime();
        ChildJvm.run(command);
        nanos.get(form)[run] = System.nanoTime() - start;
      }
    }
    System.out.print(table(nanos, runs));
  }

  static List<Form> forms(String list) {
    List<Form> forms = new ArrayList<>();
    for (String id : list.split(",")) {
      forms.add(Form.of(id.trim()));
    }
    return forms;
  }

  static String table(Map<Form, long[]> nanos, int runs) {
    StringBuilder out = new StringBuilder();
    out.append("| form | median ms | min ms | max ms | runs |\n|---|---:|---:|---:|---:|\n");
    for (Map.Entry<Form, long[]> entry : nanos.entrySet()) {
      long[] sorted = entry.getValue().clone();
      Arrays.sort(sorted);
      out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %d |%n",
          entry.getKey().id(), millis(median(sorted)), millis(sorted[0]),
          millis(sorted[sorted.length - 1]), runs));
    }
    long[] bare = nanos.get(Form.BARE);
    long[] agent = nanos.get(Form.LOCKGUARD);
    if (bare != null && agent != null) {
      double added = millis(median(sorted(agent))) - millis(median(sorted(bare)));
      out.append(String.format(Locale.ROOT,
          "%nagent start-up: %+.0f ms added to the median (target: at most 300 ms): %s%n",
          added, added <= 300 ? "met" : "MISSED"));
    }
    return out.toString();
  }

  /** The median of sorted values (mean of the middle two for an even count). */
  static double median(long[] sorted) {
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1
        ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
  }

  private static long[] sorted(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  private static double millis(double nanos) {
    return nanos / 1_000_000.0;
  }
}
