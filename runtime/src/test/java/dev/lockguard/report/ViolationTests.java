package dev.lockguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockguard.report.Violation.Counts;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of two reports of one bug is worse, and how two are folded into one. */
class ViolationTests {

  @Test
  void aFindingJustMadeWasSeenOnceAndALockOrderCycleOverOneCycleOfInstances() {
    assertThat(ReportFixtures.philosophers().counts()).isEqualTo(new Counts(1, 1, 2));
    assertThat(ReportFixtures.unsafeQueueCheck().counts()).isEqualTo(new Counts(1, 0, 1));
    assertThat(ReportFixtures.unsafeQueueCheck().observed()).isFalse();
  }

  @Test
  void moreSevereIsWorseAndAtOneSeverityObservedIsWorseThanPossible() {
    Violation warning = queueFinding(Severity.WARNING, false);
    Violation error = queueFinding(Severity.ERROR, false);
    Violation observedError = queueFinding(Severity.ERROR, true);
    Violation observedWarning = queueFinding(Severity.WARNING, true);

    assertThat(error.isWorseThan(warning)).isTrue();
    assertThat(error.isWorseThan(observedWarning)).as("severity first").isTrue();
    assertThat(observedError.isWorseThan(error)).isTrue();
    assertThat(error.isWorseThan(observedError)).isFalse();
    assertThat(error.isWorseThan(queueFinding(Severity.ERROR, false))).as("a tie").isFalse();
    assertThat(warning.isWorseThan(error)).isFalse();
  }

  @Test
  void mergingKeepsTheWorseFindingAndAddsTheCounts() {
    Violation possible = queueFinding(Severity.ERROR, false).withCounts(new Counts(3, 0, 2));
    Violation observed = queueFinding(Severity.ERROR, true).withCounts(new Counts(1, 0, 1));

    for (Violation merged : List.of(possible.mergedWith(observed), observed.mergedWith(possible))) {
      assertThat(merged.message()).isEqualTo("observed");
      assertThat(merged.observed()).isTrue();
      assertThat(merged.counts()).isEqualTo(new Counts(4, 0, 3));
    }
    Violation again = queueFinding(Severity.ERROR, false).withCounts(new Counts(1, 0, 1));
    assertThat(possible.mergedWith(again).message()).as("a tie keeps the first").isEqualTo(
        "possible");
  }

  @Test
  void findingsOfDifferentBugsCannotBeMergedAndCountsCannotBeNegative() {
    Violation other = ReportFixtures.philosophers();

    assertThatThrownBy(() -> ReportFixtures.unsafeQueueCheck().mergedWith(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot merge findings uq-1 and pd-1");
    assertThatThrownBy(() -> new Counts(0, 0, 0))
        .hasMessage("counts out of range: occurrences 0, instanceCycles 0, threadsSeen 0");
  }

  private static Violation queueFinding(Severity severity, boolean observed) {
    return new Violation("q", Kind.UNSAFE_QUEUE_CHECK, severity, observed ? "observed" : "possible",
        List.of("producer"), List.of(), List.of(), List.of()).withObserved(observed);
  }
}
