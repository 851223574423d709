package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.report.Violation.WaiterRef;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latch detector, end to end: {@code fixtures.agent.latch} run under the shaded agent in forked
 * JVMs. Each fixture makes its interleaving certain with latches and bounded waits.
 */
class LatchIT {
  private static final String CDL = "java.util.concurrent.CountDownLatch";
  private static final String SIGNAL_OPTION =
      "latches=fixtures.agent.latch.Signal(set=fire,clear=reset,await=waitFor|waitForMillis)";

  @TempDir Path dir;

  // ---- must report ----------------------------------------------------------------------------

  @Test
  void eventClearedWhileAThreadStillWaitsIsAnError() throws Exception {
    Violation violation = onlyViolation(run("EventClearedWhileWaiting"));

    assertFinding(violation, Severity.ERROR, "EventClearedWhileWaiting.ready",
        "dev.lockguard.Event", List.of(line("EventClearedWhileWaiting", "@clear")));
    assertThat(violation.message())
        .contains("was cleared at", "while 1 thread still waited on it (\"waiter\")",
            "Condition with a generation counter, a Phaser, or a fresh latch per round");
    assertThat(violation.threads()).containsExactly("main", "waiter");
    assertWaiters(violation, "EventClearedWhileWaiting.ready",
        List.of("waiter"), line("EventClearedWhileWaiting", "@waiter-await"));
  }

  @Test
  void eventSetAndClearedWhileAFormerWaiterWasAwayIsAnError() throws Exception {
    Violation violation = onlyViolation(run("EventClearedBeforeWaiterSawSet"));

    assertFinding(violation, Severity.ERROR, "EventClearedBeforeWaiterSawSet.tick",
        "dev.lockguard.Event", List.of(line("EventClearedBeforeWaiterSawSet", "@clear")));
    assertThat(violation.message()).contains("\"worker\", which awaited it before, was not"
        + " waiting: it missed this set");
    assertThat(violation.threads()).containsExactly("main", "worker");
    assertWaiters(violation, "EventClearedBeforeWaiterSawSet.tick",
        List.of("worker"), line("EventClearedBeforeWaiterSawSet", "@worker-busy"));
  }

  @Test
  void eventClearedAfterItsWaiterGotThroughIsAWarningWithAdvice() throws Exception {
    Violation violation = onlyViolation(run("EventClearedAfterHandshake"));

    assertFinding(violation, Severity.WARNING, "EventClearedAfterHandshake.round",
        "dev.lockguard.Event", List.of(line("EventClearedAfterHandshake", "@clear")));
    assertThat(violation.message()).contains("after it was set, which re-arms it",
        "use a Condition with a generation counter, a Phaser, or a fresh latch per round");
    assertThat(violation.threads()).containsExactly("main");
    assertThat(violation.waiters()).isEmpty();
  }

  @Test
  void latchReplacedWhileAThreadWaitsOnTheOldOneIsALostWakeUp() throws Exception {
    Violation violation = onlyViolation(run("LatchReplacedWhileWaiting"));

    assertFinding(violation, Severity.ERROR, "ReopenableGate.open", CDL, List.of(
        line("LatchReplacedWhileWaiting", "@replace"),
        line("LatchReplacedWhileWaiting", "@release")));
    assertThat(violation.sites().get(0)).startsWith("fixtures.agent.latch.ReopenableGate.reopen(");
    assertThat(violation.sites().get(1)).startsWith("fixtures.agent.latch.ReopenableGate.release(");
    assertThat(violation.message()).contains("while 1 thread still waited on the old instance",
        "the new one was signalled at", "lost wake-up");
    assertThat(violation.threads()).containsExactly("main", "waiter");
    assertWaiters(violation, "ReopenableGate.open", List.of("waiter"),
        line("LatchReplacedWhileWaiting", "@await"));
  }

  @Test
  void latchReplacedUnderAWaiterThatThenGivesUpIsALostWakeUp() throws Exception {
    Fixtures.Outcome run = run("LatchReplacedThenWaiterGivesUp");
    Violation violation = onlyViolation(run);

    assertFinding(violation, Severity.ERROR, "LatchReplacedThenWaiterGivesUp.ready", CDL,
        List.of(line("LatchReplacedThenWaiterGivesUp", "@replace"),
            line("LatchReplacedThenWaiterGivesUp", "@await")));
    assertThat(violation.message()).contains("by \"main\" while 1 thread still waited",
        "\"waiter\" gave up waiting on the old one", "lost wake-up");
    assertThat(violation.threads()).containsExactly("waiter");
    assertWaiters(violation, "LatchReplacedThenWaiterGivesUp.ready", List.of("waiter"),
        line("LatchReplacedThenWaiterGivesUp", "@await"));
    assertThat(run.result().stdout()).contains("waiter gave up");
  }

  @Test
  void latchReplacedAfterItOpenedWhileAWorkerReadsTheFieldIsAWarning() throws Exception {
    Violation violation = onlyViolation(run("LatchReplacedAfterOpen"));

    assertFinding(violation, Severity.WARNING, "LatchReplacedAfterOpen.round", CDL,
        List.of(line("LatchReplacedAfterOpen", "@replace")));
    assertThat(violation.message()).contains("after it had opened, while \"worker\" keeps"
        + " reading the field");
    assertThat(violation.threads()).containsExactly("main", "worker");
    assertThat(violation.waiters()).extracting(WaiterRef::thread).containsExactly("worker");
  }

  @Test
  void barrierResetWhilePartiesWaitIsAnError() throws Exception {
    Fixtures.Outcome run = run("BarrierResetWhileWaiting");
    Violation violation = onlyViolation(run);

    assertFinding(violation, Severity.ERROR, "BarrierResetWhileWaiting.barrier",
        "java.util.concurrent.CyclicBarrier", List.of(line("BarrierResetWhileWaiting", "@reset")));
    assertThat(violation.message()).contains("while 2 parties waited on it",
        "BrokenBarrierException");
    assertThat(violation.threads()).containsExactlyInAnyOrder("main", "party-1", "party-2");
    assertThat(violation.waiters()).extracting(WaiterRef::thread)
        .containsExactlyInAnyOrder("party-1", "party-2");
    assertThat(violation.waiters()).allSatisfy(waiter -> assertThat(waiter.stack().get(0))
        .contains(line("BarrierResetWhileWaiting", "@await")));
    assertThat(run.result().stdout()).contains("broken parties: 2");
  }

  @Test
  void awaitingAnOpenLatchAgainAndAgainInALoopIsASpin() throws Exception {
    Violation violation = onlyViolation(run("SpinOnOpenLatch"));

    assertFinding(violation, Severity.WARNING, "SpinOnOpenLatch.tick", CDL,
        List.of(line("SpinOnOpenLatch", "@spin")));
    assertThat(violation.message()).contains("awaited CountDownLatch SpinOnOpenLatch.tick 1000"
        + " times in a row", "this loop spins instead of waiting");
    assertThat(violation.threads()).containsExactly("poller");
    assertWaiters(violation, "SpinOnOpenLatch.tick", List.of("poller"),
        line("SpinOnOpenLatch", "@spin"));
  }

  @Test
  void aRestartableServersOneShotReadyLatchIsAnErrorPrintedOnce() throws Exception {
    Fixtures.Outcome run = run("RestartableServer");
    Violation violation = onlyViolation(run);

    String awaited = "fixtures.agent.latch.RestartableServer.start("
        + line("RestartableServer", "@await") + ")";
    String signalled = "fixtures.agent.latch.RestartableServer.listen("
        + line("RestartableServer", "@ready") + ")";
    assertFinding(violation, Severity.ERROR, "RestartableServer.ready", CDL,
        List.of(line("RestartableServer", "@await"), line("RestartableServer", "@ready")));
    assertThat(violation.sites()).containsExactly(awaited, signalled);
    assertThat(violation.message()).isEqualTo("CountDownLatch RestartableServer.ready is used as"
        + " a gate that opens every round, but it opens only once: \"main\" blocked on it at "
        + awaited + " until it opened, came back to that await and returned at once, and then"
        + " \"listener-2\" counted it down again at " + signalled + ". The second await returned"
        + " before this signal, so the code after it ran before what the signal stands for (in a"
        + " restart: the new worker listening) had happened. Give each round a fresh latch, made"
        + " and handed over before anyone waits on it, or use a Phaser or a Condition with a"
        + " generation counter.");
    assertThat(violation.threads()).containsExactly("listener-2", "main");
    assertThat(violation.waiters()).isEmpty();
    assertThat(run.result().stderr()).as("both restarts are one finding")
        .containsOnlyOnce("=== lockguard: REUSED_LATCH");
    assertThat(run.result().stdout()).contains("round 1: connected",
        "round 2: connection refused", "round 3: connection refused");
    assertThat(run.report().stats().latchesSeen()).isEqualTo(1);
  }

  @Test
  void latchesOptionWatchesTheApplicationsOwnEventClass() throws Exception {
    Violation violation = onlyViolation(run("UserLatchResetWhileWaiting", SIGNAL_OPTION));

    assertFinding(violation, Severity.ERROR, "UserLatchResetWhileWaiting.signal",
        "fixtures.agent.latch.Signal", List.of(line("UserLatchResetWhileWaiting", "@reset")));
    assertThat(violation.threads()).containsExactly("main", "waiter");
    assertWaiters(violation, "UserLatchResetWhileWaiting.signal", List.of("waiter"),
        line("Signal", "@wait"));
    assertThat(violation.waiters().get(0).stack().get(1))
        .contains(line("UserLatchResetWhileWaiting", "@await"));
  }

  @Test
  void withoutTheLatchesOptionTheApplicationsEventClassIsNotWatched() throws Exception {
    Fixtures.Outcome run = run("UserLatchResetWhileWaiting");

    assertThat(run.report().violations()).isEmpty();
    assertThat(run.report().stats().latchesSeen()).as("only the JDK's latches").isZero();
  }

  // ---- must stay silent -----------------------------------------------------------------------

  @Test
  void oneShotLatchesAreSilent() throws Exception {
    assertSilentAfterWatching("OneShotLatches", 2);
  }

  @Test
  void aFreshLatchPerRoundHandedOverBeforeAnyoneWaitsIsSilent() throws Exception {
    assertSilentAfterWatching("FreshLatchPerRound", 7);
  }

  @Test
  void aRestartableServerWithAFreshReadyLatchPerStartIsSilent() throws Exception {
    Fixtures.Outcome run = assertSilentAfterWatching("RestartableServerFixed", 3);

    assertThat(run.result().stdout()).contains("round 1: ready true, connected",
        "round 2: ready true, connected", "round 3: ready true, connected");
  }

  @Test
  void anIdempotentCloseCountingDownFromSeveralThreadsIsSilent() throws Exception {
    Fixtures.Outcome run = assertSilentAfterWatching("IdempotentClose", 1);

    assertThat(run.result().stdout()).contains("closed");
  }

  @Test
  void aStartedLatchThatEveryRequestAwaitsIsSilent() throws Exception {
    Fixtures.Outcome run = assertSilentAfterWatching("StartedLatch", 1);

    assertThat(run.result().stdout()).contains("handled 7");
  }

  @Test
  void barriersAndPhasersAdvancingThroughTheirCyclesAreSilent() throws Exception {
    assertSilentAfterWatching("BarrierAndPhaserCycles", 2);
  }

  @Test
  void anEventSetOnceAndAwaitedByManyIsSilent() throws Exception {
    assertSilentAfterWatching("EventSetOnce", 1);
  }

  // ---- bad input ------------------------------------------------------------------------------

  @Test
  void malformedLatchesOptionStopsTheJvmWithTheSyntax() throws Exception {
    ForkedJvm.Result result = Fixtures.withAgent("latches=com.acme.Signal(set=fire,wait=park)")
        .run("fixtures.agent.latch.OneShotLatches");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr())
        .contains("lockguard: option \"latches\" has the bad entry"
            + " \"com.acme.Signal(set=fire,wait=park)\": \"wait=park\" is not ROLE=METHOD")
        .contains("for example latches=com.acme.Signal(set=fire,clear=reset,await=waitFor)")
        .doesNotContain("\tat ");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void latchesOptionAsSystemPropertyIsCheckedToo() throws Exception {
    ForkedJvm.Result result = Fixtures.withAgent("")
        .jvmArg("-Dlockguard.latches=com.acme.Signal")
        .run("fixtures.agent.latch.OneShotLatches");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("option \"latches\" has the bad entry \"com.acme.Signal\":"
        + " name the class, then its methods in parentheses");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Fixtures.Outcome run(String fixture) throws Exception {
    return run(fixture, "");
  }

  private Fixtures.Outcome run(String fixture, String extraOptions) throws Exception {
    Path reportFile = dir.resolve(fixture + ".json");
    String options = "report=" + reportFile + ",watchdog=0"
        + (extraOptions.isEmpty() ? "" : "," + extraOptions);
    ForkedJvm.Result result = Fixtures.withAgent(options).run("fixtures.agent.latch." + fixture);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return new Fixtures.Outcome(result, Fixtures.readReport(reportFile));
  }

  /** The one finding of the run, which was also printed on stderr. */
  private static Violation onlyViolation(Fixtures.Outcome run) {
    assertThat(run.report().violations()).as(run.result().toString()).hasSize(1);
    assertThat(run.result().stderr()).contains("=== lockguard: REUSED_LATCH");
    return run.report().violations().get(0);
  }

  private Fixtures.Outcome assertSilentAfterWatching(String fixture, int latches)
      throws Exception {
    Fixtures.Outcome run = run(fixture);

    assertThat(run.report().violations()).as(run.result().toString()).isEmpty();
    assertThat(run.report().stats().latchesSeen()).as("latches were watched").isEqualTo(latches);
    assertThat(run.result().stderr()).doesNotContain("lockguard: internal error")
        .doesNotContain("=== lockguard:");
    return run;
  }


  private static void assertFinding(Violation violation, Severity severity, String latch,
      String type, List<String> siteLines) {
    assertThat(violation.kind()).isEqualTo(Kind.REUSED_LATCH);
    assertThat(violation.severity()).isEqualTo(severity);
    assertThat(violation.locks()).containsExactly(new LockRef(latch, type));
    assertThat(violation.message()).contains(latch);
    assertThat(violation.sites()).hasSize(siteLines.size());
    for (int i = 0; i < siteLines.size(); i++) {
      assertThat(violation.sites().get(i)).startsWith("fixtures.agent.latch.")
          .endsWith("(" + siteLines.get(i) + ")");
    }
  }

  /** The waiters are exactly {@code threads}, each on {@code latch}, stacks starting at a line. */
  private static void assertWaiters(Violation violation, String latch, List<String> threads,
      String topLine) {
    assertThat(violation.waiters()).extracting(WaiterRef::thread)
        .containsExactlyElementsOf(threads);
    assertThat(violation.waiters()).allSatisfy(waiter -> {
      assertThat(waiter.latch()).isEqualTo(latch);
      assertThat(waiter.stack().get(0)).startsWith("fixtures.agent.latch.")
          .endsWith("(" + topLine + ")");
      assertThat(waiter.stack()).last().asString().contains("java.lang.Thread.run");
    });
  }

  /**
   * {@code File.java:N} for the line of {@code fixtures/agent/latch/File.java} marked
   * {@code marker}.
   */
  private static String line(String fixture, String marker) {
    return Fixtures.lineOf("latch/" + fixture, marker);
  }
}
