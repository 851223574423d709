package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bug, one cycle: a cycle that contains a shorter one over the same threads is not reported
 * beside it (D9 of docs/real-world.md), unless a thread takes its extra edge without the lock that
 * made it so; and the scenario table has one named column per thread (D10).
 */
class ShortestCycleIT {
  private static final String FIXTURE = "shortest/ContainedCycle";
  private static final String FUTURE = "ContainedCycle.future";
  private static final String OWN = "ContainedCycle.ownLock";
  private static final String PERMITS = "ContainedCycle.permits";

  @TempDir Path dir;

  @Test
  void aCycleThroughOneMoreUncontendedLockIsReportedAsTheShorterCycleOnly() throws Exception {
    Fixtures.Outcome run = Fixtures.runFixture(dir, "", FIXTURE, "nested");
    Violation violation = run.only();

    // Was two ERROR ids: future -> permits -> future and ownLock -> permits -> future -> ownLock.
    assertShorterCycle(violation);
    String stderr = run.result().stderr();
    assertThat(stderr.split("=== lockguard: ", -1)).as("findings printed").hasSize(2);
    assertThat(stderr).contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [" + violation.id()
            + "] ===",
        "locks held by \"recorder\" then: " + FUTURE + ", " + OWN + "\n",
        """
                   recorder                    releaser
                   ----                        ----
              lock(ContainedCycle.future);
                                               lock(ContainedCycle.permits);
                                               lock(ContainedCycle.future);
              lock(ContainedCycle.permits);
            """)
        .doesNotContain(OWN + " -> ");
  }

  @Test
  void theLongerCycleIsASecondBugOnceAThreadTakesItsEdgeWithoutTheOuterLock() throws Exception {
    Fixtures.Outcome run = Fixtures.runFixture(dir, "", FIXTURE, "alsoWithout");
    List<Violation> violations = run.report().violations();
    assertThat(violations).as(run.result().toString()).hasSize(2);

    assertShorterCycle(violations.get(0));
    Violation longer = violations.get(1);
    assertThat(longer.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(longer.severity()).isEqualTo(Severity.ERROR);
    assertThat(longer.locks()).extracting(LockRef::name).containsExactly(OWN, PERMITS, FUTURE);
    assertThat(longer.message()).isEqualTo("Lock-order cycle " + OWN + " -> " + PERMITS + " -> "
        + FUTURE + " -> " + OWN + ": threads \"helper\", \"releaser\" and \"recorder\" take these"
        + " locks in opposite orders and deadlock if they run at the same moment.");
    assertThat(longer.edges()).extracting(EdgeRef::from, EdgeRef::to, EdgeRef::thread)
        .containsExactly(tuple(OWN, PERMITS, "helper"),
            tuple(PERMITS, FUTURE, "releaser"),
            tuple(FUTURE, OWN, "recorder"));
    EdgeRef helped = longer.edges().get(0);
    assertThat(helped.held()).as("held every time: not the future").containsExactly(OWN);
    assertThat(helped.heldAt().get(0)).as("the helper's own take")
        .contains("lambda$main$2(" + line("@held-own") + ")");
    assertThat(helped.acquiredAt().get(0))
        .contains("lambda$main$2(" + line("@acquire-permits-without-future") + ")");
    assertThat(longer.id()).isNotEqualTo(violations.get(0).id());

    String stderr = run.result().stderr();
    assertThat(stderr.split("=== lockguard: ", -1)).as("findings printed").hasSize(3);
    assertThat(stderr).contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [" + longer.id()
            + "] ===",
        """
                   helper                      releaser                         recorder
                   ----                        ----                             ----
              lock(ContainedCycle.ownLock);
                                               lock(ContainedCycle.permits);
                                                                                lock(ContainedCycle.future);
                                                                                lock(ContainedCycle.ownLock);
                                               lock(ContainedCycle.future);
              lock(ContainedCycle.permits);
            """);
  }

  private static void assertShorterCycle(Violation violation) {
    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.locks()).extracting(LockRef::name).containsExactly(FUTURE, PERMITS);
    assertThat(violation.message()).isEqualTo("Lock-order cycle " + FUTURE + " -> " + PERMITS
        + " -> " + FUTURE + ": threads \"recorder\" and \"releaser\" take these locks in opposite"
        + " orders and deadlock if they run at the same moment.");
    EdgeRef recorded = violation.edges().get(0);
    assertThat(recorded.from()).isEqualTo(FUTURE);
    assertThat(recorded.to()).isEqualTo(PERMITS);
    assertThat(recorded.thread()).isEqualTo("recorder");
    assertThat(recorded.held()).as("the uncontended lock is context").containsExactly(FUTURE, OWN);
    assertThat(recorded.heldAt().get(0)).contains(line("@held-future"));
    assertThat(recorded.acquiredAt().get(0)).contains(line("@acquire-permits"));
    EdgeRef released = violation.edges().get(1);
    assertThat(released.from()).isEqualTo(PERMITS);
    assertThat(released.thread()).isEqualTo("releaser");
    assertThat(released.heldAt().get(0)).contains(line("@held-permits"));
    assertThat(released.acquiredAt().get(0)).contains(line("@acquire-future"));
    assertThat(violation.sites()).containsExactly(
        "fixtures.agent.shortest.ContainedCycle.lambda$main$1(" + line("@acquire-permits") + ")",
        "fixtures.agent.shortest.ContainedCycle.lambda$main$0(" + line("@acquire-future") + ")");
  }

  private static String line(String marker) {
    return Fixtures.lineOf(FIXTURE, marker);
  }
}
