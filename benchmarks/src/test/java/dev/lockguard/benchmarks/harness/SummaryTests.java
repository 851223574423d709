package dev.lockguard.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTests {
  private static final String HEADER =
      "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
          + "\"Param: depth\"";
  private static final String PREFIX = "\"dev.lockguard.benchmarks.";

  private static String row(String name, double score, String unit, String depth) {
    return PREFIX + name + "\",\"avgt\",1,10," + score + ",0.5,\"" + unit + "\"," + depth;
  }

  private static final List<String> CSV =
      List.of(
          HEADER,
          row("Nested.bare", 10.0, "ns/op", "2"),
          row("Nested.bare:gc.alloc.rate.norm", 0.0001, "B/op", "2"),
          row("Nested.lockguard", 15.0, "ns/op", "2"),
          row("Nested.lockguard:gc.alloc.rate.norm", 0.0002, "B/op", "2"),
          row("Nested.guava", 40.0, "ns/op", "2"),
          row("Nested.guava:gc.alloc.rate.norm", 24.0, "B/op", "2"),
          row("Nested.bare", 20.0, "ns/op", "4"),
          row("Nested.lockguard", 70.0, "ns/op", "4"),
          row("UncontendedLock.bare", 5.0, "ns/op", ""));

  @Test
  void tableHasOneRowPerWorkloadWithRatiosWithinTheRun() {
    String table = Summary.parse(CSV).markdown();

    assertThat(table)
        .contains("| Nested depth=2 | 10.0 ± 0.5 ns/op | 15.0 ± 0.5 ns/op | 40.0 ± 0.5 ns/op"
            + " | 1.50x | 4.00x | 0.38x | 0 | 0 | 24 |")
        .contains("| Nested depth=4 | 20.0 ± 0.5 ns/op | 70.0 ± 0.5 ns/op | – | 3.50x | – | – |")
        .contains("| UncontendedLock | 5.0 ± 0.5 ns/op | – | – | – | – | – |");
  }

  @Test
  void targetsAreJudgedOnlyWhereBothFormsWereMeasured() {
    String targets = Summary.parse(CSV).targets();

    assertThat(targets)
        .contains("| known-edge acquire+release (Nested depth=2) ≤ 2x bare | 1.50x | met |")
        .contains("| known-edge acquire+release (Nested depth=2) ≤ Guava | 0.38x | met |")
        .contains("| Nested depth=4 ≤ 3x bare | 3.50x | MISSED |")
        .contains("| known-edge acquire+release (UncontendedLock) ≤ 2x bare | – | not measured |")
        .contains("| known edges: 0 B/op (Nested depth=2) | 0 | met |");
  }

  @Test
  void listedBenchmarksWithoutResultsAreMissing() {
    List<String> listing =
        List.of(
            "Benchmarks: ",
            "dev.lockguard.benchmarks.Nested.bare",
            "dev.lockguard.benchmarks.UncontendedLock.lockguard");

    assertThat(Summary.parse(CSV).missing(listing))
        .containsExactly("dev.lockguard.benchmarks.UncontendedLock.lockguard");
  }

  @Test
  void csvFieldsAreSplitOutsideQuotesOnly() {
    assertThat(Summary.splitCsv("\"a,b\",1,,\"c\"")).containsExactly("a,b", "1", "", "c");
  }
}
