package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.LockRef;
import fixtures.junit.DeadlockTestCase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** A test stuck in a real deadlock fails with the DEADLOCK report instead of hanging the build. */
class DeadlockTimeoutTests {
  private static final String TEST_THREAD = "lockguard-test fixtures.junit.DeadlockTestCase#";

  @Test
  void aDeadlockedTestFailsAfterTheTimeoutWithTheDeadlockReport() throws Exception {
    EngineRun run = EngineRun.run(DeadlockTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    Throwable failure = run.failure("stuckInDeadlock()");
    assertThat(failure).isInstanceOf(AssertionFailedError.class);
    String thread = TEST_THREAD + "stuckInDeadlock()";
    assertThat(failure.getMessage())
        .startsWith("lockguard: this test was still running after 1 s, stuck in a deadlock"
            + " (below). lockguard failed it and left its thread \"" + thread + "\" behind,"
            + " blocked, so that the build goes on.\n"
            + "lockguard: 2 violations in this test (failing on every kind at ERROR or worse).\n")
        .contains("=== lockguard: DEADLOCK (ERROR) [")
        .contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [")
        .contains(" thread \"right-first\" waits for DeadlockTestCase.left while holding"
            + " DeadlockTestCase.right:")
        .contains("at " + Sources.frame("DeadlockTestCase", "lambda$deadlock$0", "@wait-left"))
        .contains("at " + Sources.frame("DeadlockTestCase", "deadlock", "@wait-right"));

    Violation deadlock = run.report("stuckInDeadlock()").violations().stream()
        .filter(v -> v.kind() == Violation.Kind.DEADLOCK).findFirst().orElseThrow();
    assertThat(deadlock.severity()).isEqualTo(Violation.Severity.ERROR);
    assertThat(deadlock.threads()).containsExactlyInAnyOrder(thread, "right-first");
    assertThat(deadlock.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("DeadlockTestCase.left", "DeadlockTestCase.right");
    assertThat(deadlock.message()).contains(
        "\"" + thread + "\" holds DeadlockTestCase.left and waits for DeadlockTestCase.right",
        "\"right-first\" holds DeadlockTestCase.right and waits for DeadlockTestCase.left");
  }

  @Test
  void aTestThatExpectsTheDeadlockPassesOnceItIsStuck() throws Exception {
    EngineRun run = EngineRun.run(DeadlockTestCase.class);

    assertThat(run.result("expectedDeadlock()").getStatus().name()).isEqualTo("SUCCESSFUL");
    assertThat(run.report("expectedDeadlock()").violations()).extracting(Violation::kind)
        .containsExactlyInAnyOrderElementsOf(
            List.of(Violation.Kind.POTENTIAL_DEADLOCK, Violation.Kind.DEADLOCK));
  }
}
