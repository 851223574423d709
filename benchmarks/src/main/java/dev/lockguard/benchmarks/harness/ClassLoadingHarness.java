package dev.lockguard.benchmarks.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * Class loading and linking on real code: every class of the corpus of popular libraries that
 * the build copies from Maven Central into {@code benchmarks/target/corpus}, bare and under the
 * agent, side by side ({@link SideBySide}, {@link ClassLoadingMain}).
 *
 * <p>Usage: {@code ClassLoadingHarness --corpus DIR [--runs N] [--max-jars N] [--agents JAR[,JAR…]]}
 * ({@code --max-jars}: the first N jars by name only, for a quick run)
 */
public final class ClassLoadingHarness {
  private ClassLoadingHarness() {}

  public static void main(String[] args) throws Exception {
    int runs = 3;
    String corpus = null;
    int maxJars = Integer.MAX_VALUE;
    List<String> agents = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--corpus" -> corpus = args[++i];
        case "--max-jars" -> maxJars = Integer.parseInt(args[++i]);
        case "--agents" -> agents.addAll(SideBySide.agents(args[++i]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: ClassLoadingHarness --corpus DIR [--runs N] [--max-jars N]"
            + " [--agents JAR[,JAR...]]");
      }
    }
    if (corpus == null) {
      throw new IllegalArgumentException(
          "no corpus: pass --corpus benchmarks/target/corpus (made by the benchmarks build)");
    }
    int jars = Math.min(maxJars, ClassLoadingMain.jars(java.nio.file.Path.of(corpus)).size());
    SideBySide loading = new SideBySide(agents, List.of(), System.getProperty("java.class.path"),
        ClassLoadingMain.class, corpus, String.valueOf(jars));
    System.out.print(loading.run(runs).table(runs) + "Figures: milliseconds to load and link every"
        + " class of the first " + jars + " jars (by name) in " + corpus + ".\n");
  }
}
