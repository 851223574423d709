package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Confirmation;
import fixtures.junit.ConfirmedTestCase;
import fixtures.junit.NotReproducedTestCase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentest4j.AssertionFailedError;

/**
 * {@code @LockGuard(confirm = true)}: predicted deadlocks confirmed, or not reproduced, by
 * running the test again with the schedule steered.
 */
class ConfirmTests {
  private static final Map<String, String> STEERING = Map.of(
      Configuration.CONFIRM_ATTEMPTS, "2", Configuration.CONFIRM_HOLD, "1500 ms");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "twoLocksStartedTogether() | forward,backward | Accounts.first,Accounts.second",
      "threeLocksThreeThreads()  | one,two,three    | Accounts.first,Accounts.second,Accounts.third",
      "monitorAndReentrantLock() | posting,closing  | Accounts.first,Accounts.ledger",
      "synchronizedCollections() | replier,requester | Accounts.inbox,Accounts.outbox",
  })
  void aCycleWhoseThreadsCanMeetIsConfirmedAndTheTestEnds(
      String test, String threads, String locks) throws Exception {
    EngineRun run = EngineRun.run(ConfirmedTestCase.class, STEERING);

    Throwable failure = run.failure(test);
    assertThat(failure).isInstanceOf(AssertionFailedError.class);
    assertThat(failure.getMessage())
        .contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR, CONFIRMED) [")
        .containsPattern("\n CONFIRMED on [12] steered runs?: every thread held its lock and was"
            + " about to take the next one; lockguard stopped one of them before it blocked.\n");
    for (String thread : threads.split(",")) {
      assertThat(failure.getMessage()).containsPattern(
          "\n   thread \"" + thread + "\" held Accounts\\.\\w+ and was taking Accounts\\.\\w+ at:\n"
              + "(     at \\S+\\n)*?     at fixtures\\.junit\\.Accounts\\.");
    }
    Violation finding = run.report(test).violations().stream()
        .filter(v -> v.kind() == Violation.Kind.POTENTIAL_DEADLOCK).findFirst().orElseThrow();
    Confirmation confirmation = finding.confirmation();
    assertThat(confirmation.status()).isEqualTo(Confirmation.Status.CONFIRMED);
    assertThat(confirmation.edgesInCycle()).isEqualTo(threads.split(",").length);
    assertThat(confirmation.edgesReached()).isEqualTo(confirmation.edgesInCycle());
    assertThat(confirmation.witness()).extracting(Confirmation.Witness::thread)
        .containsExactlyInAnyOrder(threads.split(","));
    assertThat(confirmation.witness()).flatExtracting(w -> java.util.List.of(w.held(), w.wanted()))
        .containsOnly(locks.split(","));
    assertThat(confirmation.witness()).allSatisfy(w -> assertThat(w.stack()).isNotEmpty());
  }

  @Test
  void pathsOrderedByAJoinOrAGateAreNotReproducedAndSaySo() throws Exception {
    EngineRun run = EngineRun.run(NotReproducedTestCase.class, Map.of(
        Configuration.CONFIRM_ATTEMPTS, "2", Configuration.CONFIRM_HOLD, "300 ms"));

    run.results().testEvents().assertStatistics(stats -> stats.started(3).failed(2).succeeded(1));
    for (String test : new String[] {"orderedByJoin()", "guardedByAGateLock()"}) {
      assertThat(run.failure(test).getMessage())
          .containsPattern("=== lockguard: POTENTIAL_DEADLOCK \\((ERROR|INFO), NOT_REPRODUCED\\) \\[")
          .contains(" NOT_REPRODUCED in 2 steered runs: at best 1 of 2 edges of the cycle were"
              + " taken at once. Not seen in this test; not proof that production cannot"
              + " deadlock.\n")
          .doesNotContain(" CONFIRMED");
      Violation finding = run.report(test).violations().stream()
          .filter(v -> v.kind() == Violation.Kind.POTENTIAL_DEADLOCK).findFirst().orElseThrow();
      assertThat(finding.confirmation()).isEqualTo(new Confirmation(
          Confirmation.Status.NOT_REPRODUCED, 2, 1, 2, java.util.List.of()));
    }
    assertThat(run.result("unconfirmedAllowedToPass()").getStatus().name())
        .isEqualTo("SUCCESSFUL");
    assertThat(run.report("unconfirmedAllowedToPass()").violations()).singleElement()
        .satisfies(v -> assertThat(v.confirmation().status())
            .isEqualTo(Confirmation.Status.NOT_REPRODUCED));
  }

  @Test
  void withoutConfirmTheTestRunsOnceAndItsFindingHasNoConfirmation() throws Exception {
    EngineRun run = EngineRun.run(fixtures.junit.InversionTestCase.class);

    assertThat(run.failure("inversion()").getMessage())
        .doesNotContain("CONFIRMED").doesNotContain("NOT_REPRODUCED");
    assertThat(run.report("inversion()").violations()).singleElement()
        .satisfies(v -> assertThat(v.confirmation()).isNull());
  }

  @Test
  void badSteeringParametersNameTheParameterAndTheFix() {
    EngineRun run = EngineRun.run(NotReproducedTestCase.class,
        Map.of(Configuration.CONFIRM_ATTEMPTS, "many"));
    assertThat(run.failure("orderedByJoin()"))
        .hasMessage("lockguard: configuration parameter lockguard.confirm.attempts=many is not a"
            + " number of runs from 1 to 999. Write, for example, lockguard.confirm.attempts=3.");
    run = EngineRun.run(NotReproducedTestCase.class, Map.of(Configuration.CONFIRM, "yes"));
    assertThat(run.failure("orderedByJoin()"))
        .hasMessage("lockguard: configuration parameter lockguard.confirm=yes is not a boolean."
            + " Write lockguard.confirm=true to confirm lock-order cycles by steering the"
            + " schedule, or leave it out.");
  }
}
