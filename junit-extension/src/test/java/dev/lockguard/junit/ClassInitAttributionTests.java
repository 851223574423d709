package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.testsupport.Markers;
import fixtures.junit.ClassInitTestCase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Class-initialization findings belong to the test during which they were found, like every
 * other finding: the cycle a test's thread ran through fails that test, and a test stuck in a
 * real class-initialization deadlock fails with the watchdog's {@code DEADLOCK} report after the
 * deadlock timeout instead of hanging the build.
 */
class ClassInitAttributionTests {
  private static final String CASE = "fixtures.junit.ClassInitTestCase$";
  private static final String TYPE = "class initialization";
  private static final Path SOURCE = Path.of("src/test/java/fixtures/junit/ClassInitTestCase.java");

  @Test
  void eachFindingFailsTheTestThatFoundIt() throws Exception {
    EngineRun run = EngineRun.run(ClassInitTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(3).succeeded(1).failed(2));
    assertThat(run.result("clean()").getStatus().name()).isEqualTo("SUCCESSFUL");

    Throwable cycle = run.failure("cycleInOneThread()");
    assertThat(cycle).isInstanceOf(AssertionFailedError.class);
    assertThat(cycle.getMessage())
        .contains("lockguard: 1 violation in this test")
        .contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) [")
        .contains("Class initialization deadlock: thread A initializes ClassInitTestCase$Base and"
            + " needs ClassInitTestCase$Sub (" + Markers.lineOf(SOURCE, "@base-makes-sub")
            + " makes a ClassInitTestCase$Sub)");
    assertThat(run.report("cycleInOneThread()").violations()).singleElement()
        .satisfies(v -> assertThat(v.locks()).containsExactly(
            new LockRef(CASE + "Base", TYPE), new LockRef(CASE + "Sub", TYPE)));

    Throwable stuck = run.failure("stuckInClassInitialization()");
    String thread = "lockguard-test fixtures.junit.ClassInitTestCase#stuckInClassInitialization()";
    assertThat(stuck.getMessage())
        .startsWith("lockguard: this test was still running after 1 s, stuck in a deadlock"
            + " (below). lockguard failed it and left its thread \"" + thread + "\" behind,"
            + " blocked, so that the build goes on.\n")
        .contains("=== lockguard: DEADLOCK (ERROR) [")
        .contains("Deadlock in class initialization: ");
    Violation deadlock = run.report("stuckInClassInitialization()").violations().stream()
        .filter(v -> v.kind() == Kind.DEADLOCK).findFirst().orElseThrow();
    assertThat(deadlock.threads()).containsExactlyInAnyOrder(thread, "base");
    assertThat(deadlock.locks()).containsExactlyInAnyOrder(
        new LockRef(CASE + "StuckBase", TYPE), new LockRef(CASE + "StuckSub", TYPE));
  }
}
