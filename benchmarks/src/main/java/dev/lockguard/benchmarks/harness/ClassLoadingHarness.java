package dev.lockguard.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * Class loading and linking on real code: every class of the corpus of popular libraries that
 * the build copies from Maven Central into {@code benchmarks/target/corpus}, bare and under the
 * agent, side by side ({@link SideBySide}, {@link ClassLoadingMain}).
 *
 * <p>Usage: {@code ClassLoadingHarness --corpus DIR [--runs N] [--agents JAR[,JAR…]]}
 */
public final class ClassLoadingHarness {
  private ClassLoadingHarness() {}

  public static void main(String[] args) throws Exception {
    int runs = 3;
    String corpus = null;
    List<String> agents = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--corpus" -> corpus = args[++i];
        case "--agents" -> agents.addAll(SideBySide.agents(args[++i]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: ClassLoadingHarness --corpus DIR [--runs N] [--agents JAR[,JAR...]]");
      }
    }
    if (corpus == null) {
      throw new IllegalArgumentException(
          "no corpus: pass --corpus benchmarks/target/corpus (made by the benchmarks build)");
    }
    int jars = ClassLoadingMain.jars(java.nio.file.Path.of(corpus)).size();
    SideBySide loading = new SideBySide(agents, List.of(), System.getProperty("java.class.path"),
        ClassLoadingMain.class, corpus);
    System.out.print(loading.run(runs).table(runs) + "Figures: milliseconds to load and link every"
        + " class of the " + jars + " jars in " + corpus + ".\n");
  }
}
