package dev.lockguard.agent.e2e;

import static dev.lockguard.agent.e2e.Fixtures.lineOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.testsupport.ForkedJvm;
import dev.lockguard.testsupport.RunningJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The curated JDK classes and the deadlock watchdog, under the real agent. */
class JdkAndWatchdogIT {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
      "list, JdkCollections.names, java.util.Collections$SynchronizedRandomAccessList, @list-under-audit",
      "vector, JdkCollections.history, java.util.Vector, @vector-under-audit",
      "hashtable, JdkCollections.settings, java.util.Hashtable, @hashtable-under-audit"})
  void inversionsThroughJdkSynchronizedClassesAreReported(
      String variant, String collection, String type, String marker) throws Exception {
    Report report = run("", "JdkCollections", variant);

    assertThat(report.violations()).hasSize(1);
    Violation violation = report.violations().get(0);
    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder(collection, "JdkCollections.audit");
    assertThat(violation.locks()).extracting(LockRef::type).contains(type);
    assertThat(violation.edges()).anySatisfy(edge -> {
      assertThat(edge.to()).isEqualTo(collection);
      assertThat(edge.acquiredAt().get(0)).startsWith("java.base/java.util.");
      assertThat(edge.acquiredAt().get(1)).contains(lineOf("JdkCollections", marker));
    });
  }

  @Test
  void jdkNoneLeavesTheJdkClassesAlone() throws Exception {
    Report report = run("jdk=none", "JdkCollections", "vector");
    assertThat(report.violations()).isEmpty();
  }

  @Test
  void unknownJdkGroupIsRejected() throws Exception {
    ForkedJvm.Result result =
        Fixtures.withAgent("jdk=Vectors").run("fixtures.agent.JdkCollections", "vector");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("option \"jdk\" names the unknown group \"Vectors\"")
        .contains("Collections, Vector, Hashtable, StringBuffer, Observable");
  }

  /**
   * A real deadlock, reported once, written like every other finding: the lock types as the
   * application wrote them, "held at" where each thread took the lock it holds (the agent's
   * held-lock stack knows the site), frames without the thread dump's loader and module-version
   * prefixes or lambda bridges, and a pointer to the POTENTIAL_DEADLOCK it confirms.
   */
  @ParameterizedTest
  @CsvSource({
      "monitors, RealDeadlock.left, RealDeadlock.right, java.lang.Object, @hold-left, @hold-right,"
          + " @wait-right, @wait-left",
      "locks, RealDeadlock.upper, RealDeadlock.lower, java.util.concurrent.locks.ReentrantLock,"
          + " @hold-upper, @hold-lower, @wait-lower, @wait-upper"})
  void watchdogTurnsARealDeadlockIntoAReport(String variant, String first, String second,
      String type, String firstHold, String secondHold, String firstWait, String secondWait)
      throws Exception {
    Path reportFile = dir.resolve("deadlock.json");
    String outcome;
    String stderr;
    try (RunningJvm jvm = Fixtures.withAgent("report=" + reportFile) // the default watchdog period
        .start("fixtures.agent.RealDeadlock", variant)) {
      outcome = jvm.readLine(); // the fixture then waits to be killed
      awaitDeadlockInFile(reportFile); // the reporter rewrites the file at most once a second
      jvm.kill();
      stderr = jvm.stderr();
    }

    assertThat(outcome).isEqualTo("DEADLOCK-REPORTED");
    Report report = Fixtures.readReport(reportFile);
    Violation potential = report.violations().get(0);
    assertThat(potential.kind()).as("the potential deadlock came first")
        .isEqualTo(Kind.POTENTIAL_DEADLOCK);
    Violation deadlock = report.violations().stream()
        .filter(v -> v.kind() == Kind.DEADLOCK).findFirst().orElseThrow();
    assertThat(deadlock.severity()).isEqualTo(Severity.ERROR);
    assertThat(deadlock.threads()).containsExactly("left-first", "right-first");
    assertThat(deadlock.locks()).extracting(LockRef::name, LockRef::type)
        .containsExactly(tuple(second, type), tuple(first, type));
    assertThat(potential.locks()).extracting(LockRef::type).containsOnly(type);
    assertThat(deadlock.message()).isEqualTo("Deadlock: \"left-first\" holds " + first
        + " and waits for " + second + "; \"right-first\" holds " + second + " and waits for "
        + first + ". These threads will never proceed. It confirms POTENTIAL_DEADLOCK "
        + potential.id() + ", the lock-order cycle of the same acquisitions.");
    assertThat(deadlock.confirms()).isEqualTo(potential.id());
    String fixture = "fixtures.agent.RealDeadlock.lambda$main$";
    assertThat(deadlock.sites()).containsExactly(
        frameAt(fixture, "0", firstWait), frameAt(fixture, "1", secondWait));
    assertThat(deadlock.edges()).extracting(edge -> edge.heldAt().get(0)).as("where each took"
        + " the lock it holds").containsExactly(
            frameAt(fixture, "0", firstHold), frameAt(fixture, "1", secondHold));
    assertThat(deadlock.edges()).allSatisfy(edge -> {
      assertThat(edge.acquiredAt()).first().isIn(deadlock.sites());
      assertThat(edge.acquiredAt()).last().asString()
          .startsWith("java.base/java.lang.Thread.run");
      assertThat(edge.heldAt().subList(1, edge.heldAt().size())).as("the same callers")
          .isEqualTo(edge.acquiredAt().subList(1, edge.acquiredAt().size()));
      assertThat(edge.acquiredAt()).noneSatisfy(frame ->
          assertThat(frame).containsAnyOf("app//", "java.base@", "$$Lambda", "Unknown Source"));
    });
    assertThat(count(stderr, "=== lockguard: DEADLOCK (ERROR) [" + deadlock.id() + "] ==="))
        .as("printed once").isEqualTo(1);
    assertThat(stderr).contains("It confirms POTENTIAL_DEADLOCK " + potential.id());
  }

  private static String frameAt(String methodPrefix, String lambda, String marker) {
    return methodPrefix + lambda + "(" + lineOf("RealDeadlock", marker) + ")";
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  @Test
  void synchronizedListKeepsItsJdkNameWhenTheApplicationNeverNamesIt() throws Exception {
    Report report = run("", "JdkCollections", "list-unnamed");

    Violation violation = report.violations().get(0);
    assertThat(report.violations()).hasSize(1);
    assertThat(violation.locks()).extracting(LockRef::name)
        .anySatisfy(name -> assertThat(name).matches("Collections\\$Synchronized\\w+\\.mutex@[0-9a-f]+"))
        .contains("JdkCollections.audit");
  }

  @Test
  void fivePhilosophersInTurnGiveOneCycleThroughAllFiveChopsticks() throws Exception {
    Report report = run("", "Philosophers", "in-turn");

    assertThat(report.violations()).hasSize(1);
    Violation violation = report.violations().get(0);
    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.locks()).extracting(LockRef::name).containsExactlyInAnyOrder(
        "chopstick-0", "chopstick-1", "chopstick-2", "chopstick-3", "chopstick-4");
    assertThat(violation.threads()).hasSize(5);
    assertThat(violation.message()).contains("chopstick-4 -> chopstick-0");
  }

  @Test
  void ascendingThrowEndsOneHundredDinnersOfFivePhilosophersWithoutHanging() throws Exception {
    Path reportFile = dir.resolve("philosophers.json");
    ForkedJvm.Result result = Fixtures.withAgent("report=" + reportFile
            + ",order=ascending,policy=throw")
        .run("fixtures.agent.Philosophers", "together", "100");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("rounds=100 hung=0 stopped=100")
        .containsPattern("message=Lock Order Violation: thread \"philosopher-4\" takes chopstick-0"
            + " \\(rank \\d+\\) while holding chopstick-4 \\(rank \\d+\\)");
  }

  private Report run(String options, String fixture, String... args) throws Exception {
    return Fixtures.runFixture(dir, options, fixture, args).report();
  }

  /**
   * Waits, at most 10 s, until the report file holds a DEADLOCK: the fixture sees the finding in
   * {@code LockGuard.violations()} as soon as it is published, and the reporter's daemon writes
   * the file up to a second later. Killing the JVM before that would lose the file, not the
   * finding. The file is replaced atomically, so every read sees a whole report.
   */
  private static void awaitDeadlockInFile(Path reportFile) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(reportFile) && JsonReportReader.read(reportFile).violations().stream()
          .anyMatch(v -> v.kind() == Kind.DEADLOCK)) {
        return;
      }
      Thread.sleep(20);
    }
  }
}
