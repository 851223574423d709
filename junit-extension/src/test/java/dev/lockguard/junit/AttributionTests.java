package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import fixtures.junit.AutodetectedTestCase;
import fixtures.junit.ForeignThreadTestCase;
import fixtures.junit.InversionTestCase;
import fixtures.junit.MethodLevelTestCase;
import fixtures.junit.OutlivingThreadsTestCase;
import fixtures.junit.ParallelTestCase;
import fixtures.junit.UnattributedTestCase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * A violation goes to the test whose threads found it; one that no single test can own fails the
 * class, and says so.
 */
class AttributionTests {
  private static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

  @Test
  void aViolationInPoolThreadsStartedBeforeTheTestFailsTheClassAsUnattributed()
      throws Exception {
    EngineRun run = EngineRun.run(UnattributedTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    assertThat(run.report("inversionInPoolThreads()").violations()).isEmpty();
    Throwable failure = run.failure("UnattributedTestCase");
    assertThat(failure).isInstanceOf(AssertionFailedError.class);
    assertThat(failure.getMessage())
        .startsWith("lockguard: 1 unattributed violation: lockguard found it while this class"
            + " ran but cannot attribute it to a single test, so the class fails (failing on"
            + " every kind at ERROR or worse).\n"
            + " - POTENTIAL_DEADLOCK (ERROR) on [Bank.savings, Bank.checking], found in thread"
            + " \"pool-second\" outside any test: it runs for @BeforeAll, @AfterAll or a static"
            + " initializer, or was started by one of them\n"
            + "JSON report: "
            + Path.of("target/lockguard/fixtures.junit.UnattributedTestCase/class.json")
                .toAbsolutePath() + "\n")
        .contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [");
    assertThat(run.report("UnattributedTestCase").violations()).extracting(Violation::threads)
        .containsExactly(java.util.List.of("pool-second", "pool-first"));
  }

  @Test
  void aViolationInThreadsNoTestStartedFailsTheRunningClassAsUnattributed() throws Exception {
    ForeignThreadTestCase.startPools();
    EngineRun run;
    try {
      run = EngineRun.run(ForeignThreadTestCase.class);
    } finally {
      ForeignThreadTestCase.stopPools();
    }

    run.results().testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    assertThat(run.failure("ForeignThreadTestCase").getMessage())
        .startsWith("lockguard: 1 unattributed violation: ")
        .contains(" - POTENTIAL_DEADLOCK (ERROR) on [Bank.savings, Bank.checking], found in"
            + " thread \"foreign-second\", which no test or test class started\n");
  }

  @Test
  void aViolationInThreadsThatOutlivedTheirTestFailsTheClassNamingThatTest() {
    EngineRun run = EngineRun.run(OutlivingThreadsTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
    assertThat(run.failure("OutlivingThreadsTestCase").getMessage())
        .startsWith("lockguard: 1 unattributed violation: ")
        .contains(" - POTENTIAL_DEADLOCK (ERROR) on [Bank.savings, Bank.checking], found in"
            + " thread \"outliving-2\" after test"
            + " fixtures.junit.OutlivingThreadsTestCase#startsThreadsThatOutliveIt() had finished:"
            + " the thread inherited that test's attribution and outlived it\n");
  }

  @Test
  void onAMethodItGuardsThatTestOnlyAndItsThreadsThatOutliveIt() {
    EngineRun run = EngineRun.run(MethodLevelTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(4).succeeded(3).failed(1));
    assertThat(run.failure("guardedInversion()"))
        .hasMessageContaining("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [");
    assertThat(run.result("unguardedInversion()").getStatus().name()).isEqualTo("SUCCESSFUL");
    assertThat(run.failure("MethodLevelTestCase").getMessage())
        .startsWith("lockguard: 1 unattributed violation: ")
        .contains("found in thread \"transfer-2\" after test"
            + " fixtures.junit.MethodLevelTestCase#startsAThreadThatOutlivesIt() had finished");
  }

  @ParameterizedTest(name = "deadlockTimeout={0}")
  @ValueSource(strings = {"60 s", "0"})
  void underParallelExecutionEachTestGetsOnlyItsOwnViolations(String deadlockTimeout)
      throws Exception {
    EngineRun run = EngineRun.run(ParallelTestCase.class, Map.of(
        "junit.jupiter.execution.parallel.enabled", "true",
        "junit.jupiter.execution.parallel.config.strategy", "fixed",
        "junit.jupiter.execution.parallel.config.fixed.parallelism", "2",
        Configuration.DEADLOCK_TIMEOUT, deadlockTimeout));

    run.results().testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    run.results().containerEvents().assertStatistics(stats -> stats.failed(0));
    assertThat(run.failure("inversion()"))
        .hasMessageStartingWith("lockguard: 1 violation in this test");
    assertThat(run.report("inversion()").violations()).hasSize(1);
    assertThat(run.report("consistentOrder()").violations()).isEmpty();
  }

  @Test
  void autodetectionSwitchesTheExtensionOnWithoutTheAnnotation() {
    EngineRun.run(AutodetectedTestCase.class).results().testEvents()
        .assertStatistics(stats -> stats.succeeded(1).failed(0));

    EngineRun run = EngineRun.run(AutodetectedTestCase.class, Map.of(AUTODETECTION, "true"));
    run.results().testEvents().assertStatistics(stats -> stats.failed(1));
    assertThat(run.failure("inversion()"))
        .hasMessageContaining("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [");
  }

  @Test
  void autodetectionAndTheAnnotationTogetherFailATestOnce() {
    EngineRun run = EngineRun.run(InversionTestCase.class, Map.of(AUTODETECTION, "true"));

    run.results().testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
    assertThat(run.failure("inversion()")).hasNoSuppressedExceptions();
    assertThat(run.entries("inversion()", Reports.REPORT_ENTRY)).hasSize(1);
  }
}
