package dev.lockguard.benchmarks.harness;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Lock-heavy real code: the H2 database of the corpus ({@code benchmarks/target/corpus}) under
 * several JDBC threads, bare and under the agent, side by side ({@link SideBySide},
 * {@link DatabaseMain}, which checks the database's invariant at the end of every run).
 *
 * <p>Usage: {@code DatabaseHarness --corpus DIR [--runs N] [--threads N] [--transactions N]
 * [--agents JAR[,JAR…]]}
 */
public final class DatabaseHarness {
  private DatabaseHarness() {}

  public static void main(String[] args) throws Exception {
    int runs = 3;
    String threads = "8";
    String transactions = "4000";
    String corpus = null;
    List<String> agents = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--threads" -> threads = args[++i];
        case "--transactions" -> transactions = args[++i];
        case "--corpus" -> corpus = args[++i];
        case "--agents" -> agents.addAll(SideBySide.agents(args[++i]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: DatabaseHarness --corpus DIR [--runs N] [--threads N]"
            + " [--transactions N] [--agents JAR[,JAR...]]");
      }
    }
    if (corpus == null) {
      throw new IllegalArgumentException(
          "no corpus: pass --corpus benchmarks/target/corpus (made by the benchmarks build)");
    }
    String h2 = null;
    for (java.nio.file.Path jar : ClassLoadingMain.jars(java.nio.file.Path.of(corpus))) {
      if (jar.getFileName().toString().startsWith("h2-")) {
        h2 = jar.toString();
      }
    }
    if (h2 == null) {
      throw new IllegalArgumentException("no h2-*.jar in " + corpus
          + "; build it with: mvn -B -DskipTests package -pl benchmarks");
    }
    String classPath = System.getProperty("java.class.path") + File.pathSeparator + h2;
    SideBySide database = new SideBySide(agents, List.of(), classPath, DatabaseMain.class,
        threads, transactions);
    System.out.print(database.run(runs).table(runs) + "Figures: milliseconds for " + threads
        + " JDBC threads to run " + transactions + " transactions each (" + h2 + ");"
        + " throughput under the agent is the inverse of the ratio.\n");
  }
}
