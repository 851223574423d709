package dev.lockguard.agent.e2e;

import static dev.lockguard.agent.e2e.Fixtures.lineOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.agent.e2e.Fixtures.Outcome;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** order=ascending, policy=throw, gate locks and OrderedLocks under the real agent. */
class OrderPolicyIT {
  @TempDir Path dir;

  @Test
  void ascendingReportsAnExplicitRankTakenOutOfOrder() throws Exception {
    Outcome outcome = run("order=ascending", "AscendingOrder", "explicit");

    Violation violation = outcome.only();
    assertThat(violation.kind()).isEqualTo(Kind.LOCK_ORDER_VIOLATION);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.message())
        .contains("takes ledger (rank 1) while holding journal (rank 2)");
    assertThat(violation.locks()).extracting(LockRef::name).containsExactly("journal", "ledger");
    assertThat(violation.edges()).singleElement().satisfies(edge -> {
      assertThat(edge.heldAt().get(0)).contains(lineOf("AscendingOrder", "@held-journal"));
      assertThat(edge.acquiredAt().get(0)).contains(lineOf("AscendingOrder", "@acquire-ledger"));
    });
    assertThat(violation.sites().get(0)).contains(lineOf("AscendingOrder", "@acquire-ledger"));
  }

  @Test
  void ascendingRanksUnrankedLocksByFirstUse() throws Exception {
    Violation violation = run("order=ascending", "AscendingOrder", "first-seen").only();

    assertThat(violation.kind()).isEqualTo(Kind.LOCK_ORDER_VIOLATION);
    assertThat(violation.message()).contains("takes AscendingOrder.first (rank ")
        .contains("while holding AscendingOrder.second (rank ");
    assertThat(violation.sites().get(0)).contains(lineOf("AscendingOrder", "@acquire-first"));
  }

  @Test
  void ascendingIsSilentForAscendingOrderWithReentry() throws Exception {
    Outcome outcome = run("order=ascending", "AscendingOrder", "consistent");
    assertThat(outcome.report().violations()).isEmpty();
    assertThat(outcome.report().stats().acquisitions()).isGreaterThanOrEqualTo(9);
  }

  @Test
  void throwPolicyStopsTheCycleClosingAcquisitionBeforeItBlocks() throws Exception {
    Outcome outcome = run("policy=throw", "ThrowOnCycle");

    assertThat(outcome.result().stdout())
        .contains("monitor: thrown holdsInbox=false message=Lock-order cycle")
        .contains("lock: thrown holdsHead=false")
        .doesNotContain("not thrown");
    assertThat(outcome.report().violations()).hasSize(2)
        .allSatisfy(v -> assertThat(v.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK));
    assertThat(outcome.report().violations()).anySatisfy(v ->
        assertThat(v.sites()).anySatisfy(s -> assertThat(s).contains(lineOf("ThrowOnCycle", "@throw-monitor"))));
    assertThat(outcome.report().violations()).anySatisfy(v ->
        assertThat(v.sites()).anySatisfy(s -> assertThat(s).contains(lineOf("ThrowOnCycle", "@throw-lock"))));
  }

  @Test
  void throwPolicyOnSynchronizedMethodsBeforeOrAfterTheMonitorDependingOnLoadTime() throws Exception {
    Outcome outcome = run("policy=throw", "ThrowOnSyncMethod");

    assertThat(outcome.result().stdout())
        .as("a class transformed as it loads is checked before its monitor is taken")
        .contains("account: thrown afterHolderLetGo=false")
        .as("a retransformed JDK class is checked once the JVM has taken the monitor")
        .contains("hashtable: thrown afterHolderLetGo=true");
    assertThat(outcome.report().violations()).extracting(v -> v.locks().stream()
            .map(LockRef::type).sorted().toList())
        .containsExactlyInAnyOrder(
            java.util.List.of("fixtures.agent.ThrowOnSyncMethod$Account", "java.lang.Object"),
            java.util.List.of("java.lang.Object", "java.util.Hashtable"));
  }

  @Test
  void ascendingWithThrowPolicyThrowsOnEveryOutOfOrderAcquisition() throws Exception {
    Outcome outcome = run("order=ascending,policy=throw", "OrderedLocksUse", "nested");
    assertThat(outcome.result().stdout()).contains("nested: thrown holdsLow=false");
  }

  @Test
  void orderedLocksSortsLocksAndChecksNestedCalls() throws Exception {
    Outcome outcome = run("", "OrderedLocksUse", "nested");

    assertThat(outcome.result().stdout())
        .contains("forward holds both=true")
        .contains("nested: thrown holdsLow=false message=Lock Order Violation: thread \"nested\""
            + " takes low (rank 10) while holding high (rank 20)")
        .contains("released both=true");
    Violation violation = outcome.only();
    assertThat(violation.kind()).isEqualTo(Kind.LOCK_ORDER_VIOLATION);
    assertThat(violation.locks()).extracting(LockRef::name).containsExactly("high", "low");
    assertThat(violation.edges().get(0).acquiredAt())
        .anySatisfy(frame -> assertThat(frame).contains(lineOf("OrderedLocksUse", "@nested-low")));
  }

  @Test
  void orderedLocksInOppositeArgumentOrdersAreSilent() throws Exception {
    // jdk=none: the fixture prints while it holds the locks, and System.out's lock
    // (jdk=PrintStream) would add an edge from each of them
    Outcome outcome = run("jdk=none", "OrderedLocksUse");
    assertThat(outcome.report().violations()).isEmpty();
    assertThat(outcome.report().stats().edges()).as("low -> high only").isEqualTo(1);
  }

  @Test
  void cycleUnderACommonGateLockIsInfoAndNamesTheGate() throws Exception {
    Violation violation = run("", "GateLock", "gated").only();

    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.INFO);
    assertThat(violation.message()).contains("gate lock GateLock.gate").contains("cannot deadlock");
    assertThat(violation.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("GateLock.left", "GateLock.right");
  }

  @Test
  void gatedCycleBecomesAnErrorWhenAPathSkipsTheGate() throws Exception {
    Violation violation = run("", "GateLock", "ungated").only();

    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.message()).doesNotContain("gate lock");
    assertThat(violation.threads()).contains("gated-1", "gated-2");
  }

  private Outcome run(String options, String fixture, String... args) throws Exception {
    return Fixtures.runFixture(dir, options, fixture, args);
  }
}
