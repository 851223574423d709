package dev.lockguard.agent.report;

import static dev.lockguard.report.ReportFixtures.cycle;
import static dev.lockguard.report.ReportFixtures.edge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFixtures;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class DotGraphTests {

  @Test
  void rendersDotWithOneEdgePerLockPairLabelledWithThreads() {
    Violation first = cycle(Severity.ERROR, edge("A", "B", "t1"), edge("B", "A", "t2"));
    Violation second = cycle(Severity.ERROR, edge("A", "B", "t3"), edge("B", "C\"q\\", "t3"));
    Report report =
        new Report(ReportFixtures.jvm(), List.of(first, second), ReportFixtures.stats());

    assertThat(DotGraph.render(report))
        .isEqualTo(
            """
            digraph lockguard {
              node [shape=box];
              "A" -> "B" [label="t1, t3"];
              "B" -> "A" [label="t2"];
              "B" -> "C\\"q\\\\ " [label="t3"];
            }
            """);
  }
}
