package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import fixtures.junit.AllowLockOrderTestCase;
import fixtures.junit.BadAnnotationsTestCase;
import fixtures.junit.BadClassAnnotationTestCase;
import fixtures.junit.ExpectViolationTestCase;
import fixtures.junit.FailOnTestCase;
import fixtures.junit.InversionTestCase;
import fixtures.junit.QueueCheckTestCase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.opentest4j.AssertionFailedError;

/** Which findings fail a test: kinds and severities, expected violations, reviewed orders. */
class ChoicesTests {

  @Test
  void anExpectedViolationPassesAndAnExpectationNotMetFails() {
    EngineRun run = EngineRun.run(ExpectViolationTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(3).succeeded(1).failed(2));
    assertThat(run.result("inversionExpected()").getStatus().name()).isEqualTo("SUCCESSFUL");
    assertThat(run.failure("noInversion()"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageStartingWith("lockguard: this test should trigger a POTENTIAL_DEADLOCK"
            + " (@ExpectViolation), but lockguard found no violation at all.\nJSON report: ");
    assertThat(run.failure("inversionOnOtherLocks()").getMessage())
        .startsWith("lockguard: this test should trigger a POTENTIAL_DEADLOCK on locks"
            + " [Bank.checking, Bank.loans] (@ExpectViolation), but lockguard found only"
            + " POTENTIAL_DEADLOCK (ERROR) on [Bank.savings, Bank.checking].\n"
            + "lockguard: 1 violation in this test (failing on every kind at ERROR or worse).\n")
        .contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [");
  }

  @Test
  void aReviewedLockOrderPassesWithItsReasonButACycleThroughAnotherLockFails() throws Exception {
    EngineRun run = EngineRun.run(AllowLockOrderTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
    assertThat(run.entries("reviewedInversionAmongInstancesOfOneLock()", "lockguard.allowed"))
        .containsExactly("POTENTIAL_DEADLOCK (ERROR) on [Account.lock] allowed by @AllowLockOrder:"
            + " the README's transfer: accounts lock in id order");
    assertThat(run.entries("reviewedInversion()", "lockguard.allowed")).containsExactly(
        "POTENTIAL_DEADLOCK (ERROR) on [Bank.savings, Bank.checking] allowed by @AllowLockOrder:"
            + " only the nightly batch takes savings first, and it runs alone");
    assertThat(run.report("reviewedInversion()").violations()).extracting(Violation::kind)
        .as("an allowed finding is still reported").containsExactly(
            Violation.Kind.POTENTIAL_DEADLOCK);
    assertThat(run.failure("cycleThroughLoans()").getMessage())
        .contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [")
        .contains("Bank.loans");
    assertThat(run.entries("cycleThroughLoans()", "lockguard.allowed")).isEmpty();
  }

  @Test
  void byDefaultOnlyErrorsFailAndFailOnChangesKindsAndSeverity() {
    EngineRun run = EngineRun.run(FailOnTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
    assertThat(run.result("singleThreadInversion()").getStatus().name())
        .as("a cycle seen in one thread is a WARNING").isEqualTo("SUCCESSFUL");
    assertThat(run.failure("singleThreadInversionFailingAtWarning()").getMessage())
        .startsWith("lockguard: 1 violation in this test (failing on every kind at WARNING or"
            + " worse).\n")
        .contains("=== lockguard: POTENTIAL_DEADLOCK (WARNING) [");
    assertThat(run.result("inversionOfAKindNotFailedOn()").getStatus().name())
        .isEqualTo("SUCCESSFUL");
  }

  @Test
  void everyKindFailsByDefaultNotOnlyDeadlocks() {
    EngineRun run = EngineRun.run(QueueCheckTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    assertThat(run.failure("checkThenTakeInTwoThreads()").getMessage())
        .startsWith("lockguard: 1 violation in this test (failing on every kind at ERROR or"
            + " worse).\n")
        .contains("=== lockguard: UNSAFE_QUEUE_CHECK (ERROR) [")
        .contains("at " + Sources.frame("QueueCheckTestCase", "takeIfAny", "@check"))
        .contains("at " + Sources.frame("QueueCheckTestCase", "takeIfAny", "@act"));
    assertThat(run.result("checkThenTakeFailingOnDeadlocksOnly()").getStatus().name())
        .isEqualTo("SUCCESSFUL");
  }

  @Test
  void configurationParametersSetKindsAndSeverityForTestsWithoutFailOn() {
    EngineRun atWarning = EngineRun.run(FailOnTestCase.class,
        Map.of(Configuration.FAIL_ON_SEVERITY, "warning"));
    atWarning.results().testEvents().assertStatistics(stats -> stats.succeeded(1).failed(2));
    assertThat(atWarning.failure("singleThreadInversion()"))
        .hasMessageStartingWith("lockguard: 1 violation in this test (failing on every kind at"
            + " WARNING or worse).\n");

    EngineRun otherKinds = EngineRun.run(InversionTestCase.class,
        Map.of(Configuration.FAIL_ON_KINDS, "LOCK_ORDER_VIOLATION, DEADLOCK"));
    otherKinds.results().testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
  }

  @Test
  void badAnnotationValuesFailTheTestBeforeItRunsNamingTheProblemAndTheFix() {
    BadAnnotationsTestCase.ran = 0;
    EngineRun run = EngineRun.run(BadAnnotationsTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(5).failed(5));
    assertThat(BadAnnotationsTestCase.ran).isZero();
    assertConfigurationError(run.failure("allowOneLockTwice()"), "lockguard: @AllowLockOrder("
        + "locks = {\"Bank.checking\", \"Bank.checking\"}) on"
        + " fixtures.junit.BadAnnotationsTestCase#allowOneLockTwice() names \"Bank.checking\""
        + " twice. Name each lock once: one name already accepts a cycle among several instances"
        + " of that lock, for example locks = {\"Bank.checking\"}.");
    assertConfigurationError(run.failure("allowWithoutReason()"), "lockguard: @AllowLockOrder("
        + "locks = {\"Bank.checking\", \"Bank.savings\"}) on"
        + " fixtures.junit.BadAnnotationsTestCase#allowWithoutReason() has no reason. Say why this"
        + " order is safe, for example reason = \"both paths hold Bank.gate first\".");
    assertConfigurationError(run.failure("expectBlankLock()"), "lockguard: @ExpectViolation("
        + "kind = POTENTIAL_DEADLOCK, locks = {\"Bank.checking\", \"\"}) on"
        + " fixtures.junit.BadAnnotationsTestCase#expectBlankLock() has a blank lock name. Name"
        + " each lock as the report names it, for example \"Account.lock\".");
    assertConfigurationError(run.failure("failOnNothing()"), "lockguard: @FailOn(kinds = {}) on"
        + " fixtures.junit.BadAnnotationsTestCase#failOnNothing() fails on nothing. List the kinds"
        + " that should fail the test, or remove @LockGuard to switch lockguard off.");
    assertConfigurationError(run.failure("timeoutNotADuration()"), "lockguard: @LockGuard("
        + "deadlockTimeout = \"soon\") on"
        + " fixtures.junit.BadAnnotationsTestCase#timeoutNotADuration() is not a duration. Write"
        + " a number with an optional unit ms, s, m or h, for example \"30 s\", or \"0\" to"
        + " turn the deadlock timeout off.");
  }

  @Test
  void aBadClassAnnotationFailsTheClassBeforeAnyTest() {
    EngineRun run = EngineRun.run(BadClassAnnotationTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(0));
    assertConfigurationError(run.failure("BadClassAnnotationTestCase"), "lockguard:"
        + " @AllowLockOrder(locks = {}) on fixtures.junit.BadClassAnnotationTestCase names no"
        + " lock. Name the locks of the accepted order as the report names them, for example"
        + " locks = {\"Bank.checking\", \"Bank.savings\"}, or one lock for a cycle among its"
        + " instances, locks = {\"Account.lock\"}.");
  }

  @Test
  void badConfigurationParametersFailWithTheParameterAndTheValidValues() {
    assertConfigurationError(
        EngineRun.run(InversionTestCase.class, Map.of(Configuration.FAIL_ON_KINDS, "DEADLOCKS"))
            .failure("InversionTestCase"),
        "lockguard: configuration parameter lockguard.failOn.kinds=DEADLOCKS names the unknown"
            + " kind \"DEADLOCKS\". Give kinds separated by commas, from: POTENTIAL_DEADLOCK,"
            + " LOCK_ORDER_VIOLATION, DEADLOCK, UNSAFE_QUEUE_CHECK, REUSED_LATCH.");
    assertConfigurationError(
        EngineRun.run(InversionTestCase.class, Map.of(Configuration.FAIL_ON_SEVERITY, "FATAL"))
            .failure("InversionTestCase"),
        "lockguard: configuration parameter lockguard.failOn.severity=FATAL is not a severity."
            + " Give one of ERROR, WARNING, INFO: findings at that severity or worse fail.");
    assertConfigurationError(
        EngineRun.run(InversionTestCase.class, Map.of(Configuration.DEADLOCK_TIMEOUT, "-1"))
            .failure("inversion()"),
        "lockguard: configuration parameter lockguard.deadlockTimeout=-1 is not a duration."
            + " Write a number with an optional unit ms, s, m or h, for example \"30 s\", or"
            + " \"0\" to turn the deadlock timeout off.");
  }

  private static void assertConfigurationError(Throwable failure, String message) {
    assertThat(failure).isInstanceOf(ExtensionConfigurationException.class).hasMessage(message);
  }
}
