package dev.lockguard.agent.e2e;

import static dev.lockguard.agent.e2e.Fixtures.lineOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock-order detector, end to end: fixtures run under the shaded agent in forked JVMs. */
class LockOrderIT {
  @TempDir Path dir;

  // ---- must report ----------------------------------------------------------------------------

  @Test
  void twoMonitorsInOppositeOrdersAreOneCrossThreadCycle() throws Exception {
    Violation violation = onlyViolation(run("TwoMonitors"));

    assertCycle(violation, Severity.ERROR, "TwoMonitors.checking", "TwoMonitors.savings");
    assertThat(violation.threads()).containsExactlyInAnyOrder("transfer-1", "transfer-2");
    assertEdge(violation, "TwoMonitors.checking", "TwoMonitors.savings", "transfer-1",
        lineOf("TwoMonitors", "@held-checking"), lineOf("TwoMonitors", "@acquire-savings"));
    assertEdge(violation, "TwoMonitors.savings", "TwoMonitors.checking", "transfer-2",
        lineOf("TwoMonitors", "@held-savings"), lineOf("TwoMonitors", "@acquire-checking"));
    assertThat(violation.locks()).extracting(LockRef::type).containsOnly("java.lang.Object");
  }

  @Test
  void reentrantLocksInOppositeOrders() throws Exception {
    Violation violation = onlyViolation(run("TwoReentrantLocks"));

    assertCycle(violation, Severity.ERROR, "TwoReentrantLocks.left", "TwoReentrantLocks.right");
    assertEdge(violation, "TwoReentrantLocks.left", "TwoReentrantLocks.right", "philosopher-1",
        lineOf("TwoReentrantLocks", "@held-left"), lineOf("TwoReentrantLocks", "@acquire-right"));
    assertEdge(violation, "TwoReentrantLocks.right", "TwoReentrantLocks.left", "philosopher-2",
        lineOf("TwoReentrantLocks", "@held-right"), lineOf("TwoReentrantLocks", "@acquire-left"));
    assertThat(violation.locks()).extracting(LockRef::type)
        .containsOnly("java.util.concurrent.locks.ReentrantLock");
  }

  @Test
  void monitorMixedWithReentrantLock() throws Exception {
    Violation violation = onlyViolation(run("MonitorAndLock"));

    assertCycle(violation, Severity.ERROR, "MonitorAndLock.registry", "MonitorAndLock.cacheLock");
    assertEdge(violation, "MonitorAndLock.registry", "MonitorAndLock.cacheLock", "writer",
        lineOf("MonitorAndLock", "@held-registry"), lineOf("MonitorAndLock", "@acquire-cacheLock"));
    assertEdge(violation, "MonitorAndLock.cacheLock", "MonitorAndLock.registry", "reader",
        lineOf("MonitorAndLock", "@held-cacheLock"), lineOf("MonitorAndLock", "@acquire-registry"));
  }

  @Test
  void timedTryLockInversionIsReportedWithTheLocksFieldNames() throws Exception {
    Violation violation = onlyViolation(run("TimedTryLockInversion"));

    assertCycle(violation, Severity.ERROR,
        "TimedTryLockInversion.source", "TimedTryLockInversion.target");
    assertThat(violation.sites())
        .anySatisfy(s -> assertThat(s).contains(lineOf("TimedTryLockInversion", "@timed-target")))
        .anySatisfy(s -> assertThat(s).contains(lineOf("TimedTryLockInversion", "@timed-source")));
  }

  @Test
  void threeLockCycleAcrossThreeThreads() throws Exception {
    Violation violation = onlyViolation(run("ThreeLockCycle"));

    assertCycle(violation, Severity.ERROR,
        "ThreeLockCycle.a", "ThreeLockCycle.b", "ThreeLockCycle.c");
    assertThat(violation.threads()).containsExactlyInAnyOrder("t-ab", "t-bc", "t-ca");
    assertThat(violation.edges()).hasSize(3);
    assertThat(violation.sites()).anySatisfy(s -> assertThat(s).contains(lineOf("ThreeLockCycle", "@acquire-b")))
        .anySatisfy(s -> assertThat(s).contains(lineOf("ThreeLockCycle", "@acquire-c")))
        .anySatisfy(s -> assertThat(s).contains(lineOf("ThreeLockCycle", "@acquire-a")));
  }

  @Test
  void synchronizedMethodMixedWithSynchronizedThisBlock() throws Exception {
    Violation violation = onlyViolation(run("SyncMethodAndBlock"));

    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    // Both monitors are this of the class: the edges' sites, not identity hashes, tell them apart.
    assertThat(violation.locks()).extracting(LockRef::name)
        .containsExactly("SyncMethodAndBlock.this", "SyncMethodAndBlock.this");
    for (EdgeRef edge : violation.edges()) {
      assertThat(edge.heldAt().get(0)).contains("transferTo(" + lineOf("SyncMethodAndBlock", "@method-monitor"));
      assertThat(edge.acquiredAt().get(0)).contains(lineOf("SyncMethodAndBlock", "@block-monitor"));
      assertThat(edge.acquiredAt()).anySatisfy(frame -> assertThat(frame).contains("transferTo"));
    }
    assertThat(violation.threads()).containsExactlyInAnyOrder("alice-pays", "bob-pays");
  }

  @Test
  void inversionInOneThreadIsAWarning() throws Exception {
    Violation violation = onlyViolation(run("SingleThreadInversion"));

    assertCycle(violation, Severity.WARNING,
        "SingleThreadInversion.first", "SingleThreadInversion.second");
    assertThat(violation.threads()).containsExactly("main");
    assertThat(violation.message()).contains("only");
  }

  @Test
  void readWriteInversionIsReported() throws Exception {
    Violation violation = onlyViolation(run("ReadWriteInversion", "write"));

    assertCycle(violation, Severity.ERROR, "ReadWriteInversion.catalog", "ReadWriteInversion.prices");
    assertThat(violation.locks()).extracting(LockRef::type)
        .containsOnly("java.util.concurrent.locks.ReentrantReadWriteLock");
    assertThat(violation.sites())
        .anySatisfy(s -> assertThat(s).contains(lineOf("ReadWriteInversion", "@acquire-catalog-write")));
  }

  @Test
  void cachedChainsStillReportTheCycleANewEdgeClosesAtEveryDepth() throws Exception {
    Fixtures.Outcome outcome = Fixtures.runFixture(dir, "", "KnownChains");
    Report report = outcome.report();

    // One finding per bug: the chains of depth 2 to 6 share their code, so each kind of chain is
    // one finding whose five instance cycles (one per depth) were each found.
    assertThat(report.violations()).as(outcome.result().toString()).hasSize(2);
    assertChainsClosed(report, "ReentrantLock", "locks-closer-",
        lineOf("KnownChains", "@chain-lock"), lineOf("KnownChains", "@close-locks"));
    assertChainsClosed(report, "Object", "monitors-closer-",
        lineOf("KnownChains", "@chain-monitor"), lineOf("KnownChains", "@close-monitors"));
    assertThat(report.stats().acquisitions()).as("every acquisition counted, fast paths too")
        .isEqualTo(2 * 1_000 * (2 + 3 + 4 + 5 + 6) + 2 * 5 * 2);
    String stderr = outcome.result().stderr();
    for (Violation violation : report.violations()) {
      assertThat(stderr).contains("=== lockguard: POTENTIAL_DEADLOCK (ERROR) ["
          + violation.id() + "] ===");
    }
    assertThat(stderr.split("=== lockguard: ", -1)).as("findings printed").hasSize(3);
  }

  /**
   * The finding of one kind of chain: a cross-thread cycle between a chain's outermost and
   * innermost locks (anonymous: they come from an array), closed at every depth.
   */
  private static void assertChainsClosed(Report report, String type, String closerPrefix,
      String chainLine, String closeLine) {
    Violation violation = report.violations().stream()
        .filter(v -> v.threads().stream().anyMatch(t -> t.startsWith(closerPrefix)))
        .findFirst().orElseThrow();
    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.message()).contains(
        "take these locks in opposite orders and deadlock if they run at the same moment");
    assertThat(violation.locks()).hasSize(2).allSatisfy(lock -> {
      assertThat(lock.name()).matches(type + "@[0-9a-f]+");
      assertThat(lock.type()).endsWith("." + type);
    });
    assertThat(violation.threads()).containsExactlyInAnyOrder("main", closerPrefix + 2);
    // Found once per depth, 2 to 6, over five cycles of instances, by main and five closers.
    assertThat(violation.counts()).isEqualTo(new Violation.Counts(5, 5, 6));
    assertThat(violation.sites()).hasSize(2)
        .anySatisfy(site -> assertThat(site).contains(chainLine))
        .anySatisfy(site -> assertThat(site).contains(closeLine));
  }

  // ---- must stay silent -----------------------------------------------------------------------

  @Test
  void consistentOrderAcrossManyThreadsIsSilent() throws Exception {
    Report report = run("ConsistentOrder");
    assertThat(report.violations()).isEmpty();
    assertThat(report.stats().acquisitions()).isGreaterThanOrEqualTo(8 * 2_000 * 3);
    assertThat(report.stats().edges()).isEqualTo(3);
  }

  @Test
  void cachedChainsInOneOrderAreSilent() throws Exception {
    Report report = run("KnownChains", "consistent");
    assertThat(report.violations()).isEmpty();
    assertThat(report.stats().acquisitions()).isEqualTo(2 * 1_000 * (2 + 3 + 4 + 5 + 6));
    assertThat(report.stats().edges()).as("every pair of each chain, locks and monitors")
        .isEqualTo(2 * (1 + 3 + 6 + 10 + 15));
  }

  @Test
  void reentrantAcquisitionAddsNoEdge() throws Exception {
    Report report = run("Reentrancy");
    assertThat(report.violations()).isEmpty();
    assertThat(report.stats().edges()).as("outer->inner for monitors and for locks").isEqualTo(2);
  }

  @Test
  void untimedTryLockInversionIsSilent() throws Exception {
    Report report = run("TryLockInversion");
    assertThat(report.violations()).isEmpty();
    assertThat(report.stats().edges()).as("only first->second").isEqualTo(1);
  }

  @Test
  void readReadInversionIsSilent() throws Exception {
    Report report = run("ReadWriteInversion", "read");
    assertThat(report.violations()).isEmpty();
    assertThat(report.stats().edges()).as("both read-read edges are recorded").isEqualTo(2);
  }

  @Test
  void waitAndAwaitReleaseTheLockWhileWaiting() throws Exception {
    Report report = run("WaitNotifyHandoff");
    assertThat(report.violations()).isEmpty();
    assertThat(report.stats().locksSeen()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void millionShortLivedLocksInSixtyFourMegabytes() throws Exception {
    Path reportFile = dir.resolve("million.json");
    ForkedJvm.Result result = Fixtures.withAgent("report=" + reportFile)
        .jvmArg("-Xmx64m")
        .run("fixtures.agent.MillionLocks");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stderr()).doesNotContain("OutOfMemoryError");
    Report report = Fixtures.readReport(reportFile);
    assertThat(report.violations()).isEmpty();
    assertThat(report.stats().locksSeen()).isGreaterThanOrEqualTo(2_000_000);
    long live = Long.parseLong(result.stdout().replaceAll("(?s).*liveLocks=(\\d+).*", "$1"));
    assertThat(live).as("collected locks leave the graph").isLessThan(200_000);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Report run(String fixture, String... args) throws Exception {
    return Fixtures.runFixture(dir, "", fixture, args).report();
  }

  private static Violation onlyViolation(Report report) {
    assertThat(report.violations()).hasSize(1);
    return report.violations().get(0);
  }

  private static void assertCycle(Violation violation, Severity severity, String... locks) {
    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(severity);
    assertThat(violation.locks()).extracting(LockRef::name).containsExactlyInAnyOrder(locks);
    assertThat(violation.edges()).hasSize(locks.length);
    for (String lock : locks) {
      assertThat(violation.message()).contains(lock);
    }
    assertThat(violation.id()).matches("[0-9a-f]{16}");
  }

  private static void assertEdge(Violation violation, String from, String to, String thread,
      String heldLine, String acquiredLine) {
    List<EdgeRef> matching = violation.edges().stream()
        .filter(edge -> edge.from().equals(from) && edge.to().equals(to))
        .toList();
    assertThat(matching).as("edge %s -> %s", from, to).hasSize(1);
    EdgeRef edge = matching.get(0);
    assertThat(edge.thread()).isEqualTo(thread);
    assertThat(edge.heldAt().get(0)).contains(heldLine);
    assertThat(edge.acquiredAt().get(0)).contains(acquiredLine);
    assertThat(edge.acquiredAt()).noneSatisfy(frame -> assertThat(frame).contains("dev.lockguard."));
  }
}
