package dev.lockguard.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.benchmarks.Form;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupHarnessTests {
  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(StartupHarness.median(new long[] {1, 2, 9})).isEqualTo(2.0);
    assertThat(StartupHarness.median(new long[] {1, 2, 4, 9})).isEqualTo(3.0);
  }

  @Test
  void tableReportsTheAgentsAddedStartUpAgainstTheTarget() {
    Map<Form, long[]> nanos = new EnumMap<>(Form.class);
    nanos.put(Form.BARE, new long[] {40_000_000, 42_000_000, 41_000_000});
    nanos.put(Form.LOCKGUARD, new long[] {400_000_000, 390_000_000, 380_000_000});

    String table = StartupHarness.table(nanos, 3);

    assertThat(table)
        .contains("| bare | 41 | 40 | 42 | 3 |")
        .contains("| lockguard | 390 | 380 | 400 | 3 |")
        .contains("agent start-up: +349 ms added to the median (target: at most 300 ms): MISSED");
  }
}
