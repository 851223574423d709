package dev.lockguard.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link HotLoopsMain} bare and under each agent jar, alternating run by run, and prints
 * each loop's best CPU time per operation and its ratio to bare ({@link SideBySide}). CPU time,
 * and the best of several runs, because a loaded machine inflates wall time by whatever else
 * runs.
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
        case "--agents" -> agents.addAll(SideBySide.agents(args[++i]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: HotLoopsHarness [--runs N] [--ops N] [--agents JAR[,JAR...]]");
      }
    }
    SideBySide loops = new SideBySide(agents, List.of(), System.getProperty("java.class.path"),
        HotLoopsMain.class, ops);
    System.out.print(loops.run(runs).table(runs)
        + "Figures: thread CPU nanoseconds per lock-and-unlock operation of each loop.\n");
  }
}
