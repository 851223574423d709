package dev.lockguard.demo.e2e;

import static dev.lockguard.demo.e2e.Demos.lineOf;
import static dev.lockguard.demo.e2e.Reports.edge;
import static dev.lockguard.demo.e2e.Reports.onlyViolation;
import static dev.lockguard.demo.e2e.Reports.onlyViolationBesidesRealDeadlocks;
import static dev.lockguard.demo.e2e.Reports.ranToTheEnd;
import static dev.lockguard.demo.e2e.Reports.silentRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code philosophers}: the naive table closes a five-chopstick cycle; the ordered one cannot. */
class PhilosophersIT {
  private static final String SOURCE = "philosophers/Philosophers";

  @TempDir Path dir;

  @Test
  void naiveTableIsOneCycleOverAllFiveChopsticks() throws Exception {
    Violation violation = onlyViolationBesidesRealDeadlocks(
        ranToTheEnd(Demos.withAgent(dir, "", "philosophers", "naive")), Kind.POTENTIAL_DEADLOCK);

    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.locks()).extracting(LockRef::name).containsExactlyInAnyOrder(
        "chopstick-1", "chopstick-2", "chopstick-3", "chopstick-4", "chopstick-5");
    assertThat(violation.locks()).extracting(LockRef::type)
        .containsOnly("java.util.concurrent.locks.ReentrantLock");
    assertThat(violation.threads()).containsExactlyInAnyOrder(
        "philosopher-1", "philosopher-2", "philosopher-3", "philosopher-4", "philosopher-5");
    assertThat(violation.edges()).hasSize(5);
    for (int seat = 1; seat <= 5; seat++) {
      EdgeRef leftThenRight = edge(violation, "chopstick-" + seat, "chopstick-" + (seat % 5 + 1));
      assertThat(leftThenRight.thread()).isEqualTo("philosopher-" + seat);
      assertThat(leftThenRight.heldAt().get(0)).contains(lineOf(SOURCE, "@take-left"));
      assertThat(leftThenRight.acquiredAt().get(0)).contains(lineOf(SOURCE, "@take-right"));
    }
  }

  @Test
  void naiveTableUnderAscendingOrderEndsWithTheViolationException() throws Exception {
    Demos.Run run = Demos.withAgent(dir, "order=ascending,policy=throw", "philosophers", "naive");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.stderr()).contains("lockguard-demos: philosophers naive ended with"
        + " dev.lockguard.LockOrderViolationException: Lock Order Violation: thread"
        + " \"philosopher-5\" takes chopstick-1 (rank 1) while holding chopstick-5 (rank 5)");
    Violation violation = onlyViolation(Reports.instrumented(run.report()));
    assertThat(violation.kind()).isEqualTo(Kind.LOCK_ORDER_VIOLATION);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.threads()).containsExactly("philosopher-5");
    assertThat(violation.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("chopstick-5", "chopstick-1");
    EdgeRef outOfOrder = edge(violation, "chopstick-5", "chopstick-1");
    assertThat(outOfOrder.heldAt().get(0)).contains(lineOf(SOURCE, "@take-left"));
    assertThat(outOfOrder.acquiredAt().get(0)).contains(lineOf(SOURCE, "@take-right"));
  }

  @Test
  void orderedTableIsSilent() throws Exception {
    Report report = silentRun(dir, "", "philosophers", "ordered").report();

    assertThat(report.stats().acquisitions()).as("two chopsticks per meal, 100 meals")
        .isGreaterThanOrEqualTo(200);
    assertThat(report.stats().edges()).as("the five pairs held together").isGreaterThanOrEqualTo(5);
  }

  @Test
  void orderedTableKeepsAscendingOrder() throws Exception {
    Demos.Run run = silentRun(dir, "order=ascending,policy=throw", "philosophers", "ordered");

    assertThat(run.stdout()).contains("philosopher-1=20, philosopher-2=20, philosopher-3=20,"
        + " philosopher-4=20, philosopher-5=20");
  }
}
