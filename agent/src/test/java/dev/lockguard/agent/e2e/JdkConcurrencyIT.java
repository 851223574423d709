package dev.lockguard.agent.e2e;

import static dev.lockguard.agent.e2e.Fixtures.lineOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code jdk=} groups of JDK classes that run foreign code under their own locks (blocking
 * queues, copy-on-write collections, logging handlers, print streams), under the real agent: the
 * corpus's cycles through them are reported with the application's sites, their heavy correct use
 * is not, and each class is really instrumented.
 */
class JdkConcurrencyIT {
  private static final String FINDING = "=== lockguard: POTENTIAL_DEADLOCK (ERROR)";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "QueuesDrainingIntoEachOther | ArrayBlockingQueue\\.lock@\\p{XDigit}+"
          + " | ArrayBlockingQueue\\.lock@\\p{XDigit}+ | @left-to-right | @right-to-left"
          + " | java.base/java.util.concurrent.ArrayBlockingQueue.offer(",
      "DrainIntoSynchronizedList | DrainIntoSynchronizedList\\.batch"
          + " | LinkedBlockingQueue\\.takeLock@\\p{XDigit}+ | @drain | @poll-under-list"
          + " | java.base/java.util.Collections$SynchronizedCollection.add(",
      "PrintfArgumentTakesLock | PrintfArgumentTakesLock\\.ledger | PrintStream@\\p{XDigit}+"
          + " | @to-string | @printf-under-ledger | java.base/java.io.PrintStream.format(",
      "CopyOnWritePredicateTakesLock | CopyOnWritePredicateTakesLock\\.registry"
          + " | CopyOnWriteArrayList\\.lock@\\p{XDigit}+ | @expired | @add-under-registry"
          + " | java.base/java.util.concurrent.CopyOnWriteArrayList.add(",
      "LogParameterTakesLock | LogParameterTakesLock\\.accounts | StreamHandler@\\p{XDigit}+"
          + " | @to-string | @log-under-accounts"
          + " | java.logging/java.util.logging.StreamHandler.publish("})
  void aCycleThroughAJdkClassesOwnLockIsReportedAtTheApplicationsSites(String fixture,
      String firstLock, String secondLock, String firstSite, String secondSite, String jdkTop)
      throws Exception {
    Fixtures.Outcome run = Fixtures.runFixture(dir, "", "corpus." + fixture);

    if (fixture.equals("LogParameterTakesLock") && Runtime.version().feature() >= 24) {
      // JDK-8349206: since JDK 24 a handler formats the record outside its lock; no cycle left
      assertThat(run.report().violations()).isEmpty();
      assertThat(run.result().stderr()).doesNotContain("=== lockguard:");
      return;
    }
    Violation violation = run.only();
    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.message()).contains("take these locks in opposite orders and deadlock"
        + " if they run at the same moment");
    assertThat(violation.threads()).hasSize(2);
    assertThat(violation.locks()).extracting(LockRef::name)
        .anySatisfy(name -> assertThat(name).matches(firstLock))
        .anySatisfy(name -> assertThat(name).matches(secondLock));
    assertThat(violation.sites()).as("the application frames that called into the JDK")
        .hasSize(2)
        .anySatisfy(site -> assertSite(site, fixture, firstSite))
        .anySatisfy(site -> assertSite(site, fixture, secondSite));
    assertThat(violation.edges()).as("the JDK's frames stay on top of the stack")
        .anySatisfy(edge -> assertThat(edge.acquiredAt().get(0)).startsWith(jdkTop));
    assertThat(run.result().stderr()).containsOnlyOnce(FINDING);
  }

  @Test
  void heavyConsistentUseUnderAnApplicationLockStaysSilent() throws Exception {
    Fixtures.Outcome run = Fixtures.runFixture(dir, "", "JdkConsistentUse", "500");

    assertThat(run.result().stdout()).contains("rounds=500 left=0");
    assertThat(run.report().violations()).as(run.result().toString()).isEmpty();
    assertThat(run.result().stderr()).doesNotContain("=== lockguard:");
    assertThat(run.report().stats().acquisitions()).as("the JDK classes' locks were counted")
        .isGreaterThan(4 * 500 * 15);
  }

  @Test
  void theJdksOwnNestingIsNoRankViolationUnderAscendingOrder() throws Exception {
    Fixtures.Outcome run =
        Fixtures.runFixture(dir, "order=ascending,policy=throw", "JdkConsistentUse", "50");

    assertThat(run.result().stdout()).contains("rounds=50 left=0");
    assertThat(run.report().violations()).as(run.result().toString()).isEmpty();
  }

  @Test
  void everyClassOfTheNewGroupsIsInstrumentedByDefault() throws Exception {
    Map<String, Long> counted = probe("");

    assertThat(counted).containsOnlyKeys("ArrayBlockingQueue", "LinkedBlockingQueue",
        "LinkedBlockingDeque", "PriorityBlockingQueue", "DelayQueue", "CopyOnWriteArrayList",
        "CopyOnWriteArraySet", "StreamHandler", "PrintStream", "PrivatePrintStream",
        "PrintWriter", "ArrayList");
    counted.forEach((type, acquisitions) -> {
      if (type.equals("ArrayList")) {
        assertThat(acquisitions).as(type).isZero();
      } else {
        assertThat(acquisitions).as(type).isPositive();
      }
    });
  }

  @Test
  void aGroupLeftOutLeavesItsClassesAlone() throws Exception {
    Map<String, Long> counted = probe("jdk=BlockingQueues;Logging");

    assertThat(counted.get("ArrayBlockingQueue")).isPositive();
    assertThat(counted.get("DelayQueue")).isPositive();
    assertThat(counted.get("StreamHandler")).isPositive();
    assertThat(counted.get("CopyOnWriteArrayList")).isZero();
    assertThat(counted.get("PrintStream")).isZero();
    assertThat(counted.get("PrintWriter")).isZero();
  }

  /** The probe's counts: acquisitions the agent counted during one call into each class. */
  private static Map<String, Long> probe(String options) throws Exception {
    ForkedJvm.Result result = Fixtures.withAgent(options.isEmpty() ? "watchdog=0"
        : options + ",watchdog=0").run("fixtures.agent.JdkProbe");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    Map<String, Long> counted = new LinkedHashMap<>();
    for (String line : result.stdout().split("\n")) {
      int plus = line.indexOf(" +");
      if (plus > 0) {
        counted.put(line.substring(0, plus), Long.parseLong(line.substring(plus + 2).trim()));
      }
    }
    return counted;
  }

  private static void assertSite(String site, String fixture, String marker) {
    assertThat(site).startsWith("fixtures.agent.corpus." + fixture)
        .endsWith("(" + lineOf("corpus/" + fixture, marker) + ")");
  }
}
