package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.LockRef;
import fixtures.junit.InversionTestCase;
import fixtures.junit.RepeatedTestCase;
import fixtures.junit.SameBugTwiceTestCase;
import fixtures.junit.ThreadModeTestCase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/** The extension fails the test that found a violation, with the report, and only that test. */
class LockGuardExtensionTests {

  @ParameterizedTest(name = "deadlockTimeout={0}")
  @ValueSource(strings = {"60 s", "0"})
  void failsTheTestWhoseThreadsTookAnInversionAndPassesTheCleanOne(String deadlockTimeout) {
    EngineRun run = EngineRun.run(InversionTestCase.class,
        Map.of(Configuration.DEADLOCK_TIMEOUT, deadlockTimeout));

    run.results().testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    run.results().containerEvents().assertStatistics(stats -> stats.failed(0));
    assertThat(run.result("consistentOrder()").getStatus().name()).isEqualTo("SUCCESSFUL");
    Throwable failure = run.failure("inversion()");
    assertThat(failure).isInstanceOf(AssertionFailedError.class).hasNoSuppressedExceptions();
    assertThat(failure.getMessage())
        .startsWith("lockguard: 1 violation in this test (failing on every kind at ERROR or"
            + " worse).\nJSON report: ")
        .contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [")
        .contains("Lock-order cycle Bank.savings -> Bank.checking -> Bank.savings: threads"
            + " \"transfer-2\" and \"transfer-1\" take these locks in opposite orders")
        .contains(" thread \"transfer-2\" acquired Bank.checking while holding Bank.savings:")
        .contains("at " + Sources.frame("Bank", "savingsThenChecking", "@acquire-checking"))
        .contains("at " + Sources.frame("Bank", "checkingThenSavings", "@acquire-savings"))
        .contains(" Possible unsafe locking scenario:")
        .contains("lock(Bank.savings);");
  }

  @Test
  void aBugHitAgainLessSeverelyInTheSameTestFailsItAtItsWorst() throws Exception {
    EngineRun run = EngineRun.run(SameBugTwiceTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(1).failed(1));
    assertThat(run.failure("errorThenWarning()").getMessage())
        .startsWith("lockguard: 1 violation in this test")
        .contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [")
        .doesNotContain("(WARNING)");
    assertThat(run.report("errorThenWarning()").violations()).singleElement()
        .satisfies(cycle -> assertThat(cycle.severity()).isEqualTo(Violation.Severity.ERROR));
  }

  @Test
  void eachTestPublishesThePathOfItsOwnJsonReport() throws Exception {
    EngineRun run = EngineRun.run(InversionTestCase.class);

    Path directory = Path.of("target/lockguard/fixtures.junit.InversionTestCase").toAbsolutePath();
    assertThat(run.entries("inversion()", Reports.REPORT_ENTRY))
        .containsExactly(directory.resolve("inversion().json").toString());
    assertThat(run.entries("consistentOrder()", Reports.REPORT_ENTRY))
        .containsExactly(directory.resolve("consistentOrder().json").toString());

    Report inversion = run.report("inversion()");
    assertThat(inversion.violations()).hasSize(1);
    Violation cycle = inversion.violations().get(0);
    assertThat(cycle.kind()).isEqualTo(Violation.Kind.POTENTIAL_DEADLOCK);
    assertThat(cycle.severity()).isEqualTo(Violation.Severity.ERROR);
    assertThat(cycle.threads()).containsExactlyInAnyOrder("transfer-1", "transfer-2");
    assertThat(cycle.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("Bank.checking", "Bank.savings");
    assertThat(cycle.sites()).containsExactlyInAnyOrder(
        Sources.frame("Bank", "savingsThenChecking", "@acquire-checking"),
        Sources.frame("Bank", "checkingThenSavings", "@acquire-savings"));
    assertThat(inversion.stats().acquisitions()).as("instrumented acquisitions").isPositive();

    Report clean = run.report("consistentOrder()");
    assertThat(clean.violations()).isEmpty();
    assertThat(clean.stats().acquisitions()).isPositive();
  }

  @Test
  void everyInvocationOfARepeatedTestAndEveryNestedTestGetsItsOwnVerdictAndReport()
      throws Exception {
    EngineRun run = EngineRun.run(RepeatedTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(3).failed(3));
    Path directory = Path.of("target/lockguard").toAbsolutePath();
    assertThat(run.entries("repetition 1 of 2", Reports.REPORT_ENTRY)).containsExactly(directory
        .resolve("fixtures.junit.RepeatedTestCase/repeatedInversion()-#1.json").toString());
    assertThat(run.entries("repetition 2 of 2", Reports.REPORT_ENTRY)).containsExactly(directory
        .resolve("fixtures.junit.RepeatedTestCase/repeatedInversion()-#2.json").toString());
    assertThat(run.entries("nestedInversion()", Reports.REPORT_ENTRY)).containsExactly(directory
        .resolve("fixtures.junit.RepeatedTestCase$Inner/nestedInversion().json").toString());
    for (String test : new String[] {"repetition 1 of 2", "repetition 2 of 2",
        "nestedInversion()"}) {
      assertThat(run.report(test).violations()).extracting(Violation::kind)
          .containsExactly(Violation.Kind.POTENTIAL_DEADLOCK);
      assertThat(run.failure(test)).hasMessageContaining("POTENTIAL_DEADLOCK (ERROR)");
    }
  }

  @Test
  void withADeadlockTimeoutTheTestMethodRunsInAThreadOfItsOwn() {
    EngineRun.run(ThreadModeTestCase.class).results().testEvents()
        .assertStatistics(stats -> stats.succeeded(2));

    assertThat(ThreadModeTestCase.testThread)
        .isEqualTo("lockguard-test fixtures.junit.ThreadModeTestCase#recordTest()");
    assertThat(ThreadModeTestCase.beforeEachThread).isNotEqualTo(ThreadModeTestCase.testThread);
    assertThat(ThreadModeTestCase.dynamicTestThread)
        .isEqualTo("lockguard-test fixtures.junit.ThreadModeTestCase#dynamic()");
  }

  @Test
  void withoutADeadlockTimeoutTheTestMethodRunsInJUnitsThread() {
    EngineRun.run(ThreadModeTestCase.class, Map.of(Configuration.DEADLOCK_TIMEOUT, "0"))
        .results().testEvents().assertStatistics(stats -> stats.succeeded(2));

    assertThat(ThreadModeTestCase.testThread).isEqualTo(ThreadModeTestCase.beforeEachThread);
    assertThat(ThreadModeTestCase.dynamicTestThread).isEqualTo(ThreadModeTestCase.testThread);
  }
}
