package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock names a person can act on, and lock shapes that used to escape, end to end: the fixtures
 * of {@code fixtures.agent.names} under the shaded agent in forked JVMs. Each finding is asserted
 * whole: kind, severity, message, lock names and types, edges with their sites, and how often it
 * is printed.
 */
class NamesIT {
  private static final String REENTRANT_LOCK = "java.util.concurrent.locks.ReentrantLock";

  @TempDir Path dir;

  @Test
  void locksReachedThroughGettersAreNamedAfterTheFieldOrTheGetter() throws Exception {
    Fixtures.Outcome outcome = Fixtures.runFixture(dir, "", "names/GetterLocks");
    Violation violation = outcome.only();

    assertCycle(violation, "ExecutionImpl.lock", "Bulkhead.getPermits()");
    assertThat(violation.locks()).containsExactlyInAnyOrder(
        new LockRef("ExecutionImpl.lock", "java.util.concurrent.atomic.AtomicReference"),
        new LockRef("Bulkhead.getPermits()", REENTRANT_LOCK));
    assertThat(violation.threads()).containsExactlyInAnyOrder("submit", "complete");
    assertEdge(violation, "ExecutionImpl.lock", "Bulkhead.getPermits()", "submit",
        "GetterLocks", "@held-execution", "@acquire-permits");
    assertEdge(violation, "Bulkhead.getPermits()", "ExecutionImpl.lock", "complete",
        "GetterLocks", "@held-permits", "@acquire-execution");
    assertPrintedOnce(outcome, violation);
  }

  @Test
  void namedLocksGiveTheSameIdInEveryRun() throws Exception {
    String first = Fixtures.runFixture(dir.resolve("1"), "", "names/GetterLocks").only().id();
    String second = Fixtures.runFixture(dir.resolve("2"), "", "names/GetterLocks").only().id();
    // the other lock instance: the same code, so the same bug
    String fair = Fixtures.runFixture(dir.resolve("3"), "", "names/GetterLocks", "fair").only().id();

    assertThat(first).matches("[0-9a-f]{16}").isEqualTo(second).isEqualTo(fair);
  }

  @Test
  void synchronizedMethodsMonitorsAreNamedAfterTheirClasses() throws Exception {
    Fixtures.Outcome outcome = Fixtures.runFixture(dir, "", "names/SyncMethodCycle");
    Violation violation = outcome.only();

    assertCycle(violation, "BulkheadImpl.this", "Pool.this");
    assertThat(violation.locks()).containsExactlyInAnyOrder(
        new LockRef("BulkheadImpl.this", "fixtures.agent.names.BulkheadImpl"),
        new LockRef("Pool.this", "fixtures.agent.names.Pool"));
    assertEdge(violation, "BulkheadImpl.this", "Pool.this", "acquire",
        "SyncMethodCycle", "@bulkhead-acquire", "@pool-release");
    assertEdge(violation, "Pool.this", "BulkheadImpl.this", "drain",
        "SyncMethodCycle", "@pool-drain", "@bulkhead-drained");
    assertPrintedOnce(outcome, violation);
  }

  @Test
  void staticSynchronizedMethodsMonitorsAreTheirClasses() throws Exception {
    Fixtures.Outcome outcome = Fixtures.runFixture(dir, "", "names/SyncMethodCycle", "static");
    Violation violation = outcome.only();

    assertCycle(violation, "Registry.class", "Cache.class");
    assertThat(violation.locks()).extracting(LockRef::type).containsOnly("java.lang.Class");
    assertEdge(violation, "Registry.class", "Cache.class", "register",
        "SyncMethodCycle", "@registry-register", "@cache-touch");
    assertEdge(violation, "Cache.class", "Registry.class", "evict",
        "SyncMethodCycle", "@cache-evict", "@registry-forget");
    assertPrintedOnce(outcome, violation);
  }

  @Test
  void superLockInALockSubclassIsWatchedAndCountedOnce() throws Exception {
    Fixtures.Outcome outcome =
        Fixtures.runFixture(dir, "jdk=none", "names/SuperLockCycle", "inversion");
    Violation violation = outcome.only();

    assertCycle(violation, "SuperLockCycle.first", "SuperLockCycle.second");
    assertThat(violation.locks()).extracting(LockRef::type)
        .containsOnly("fixtures.agent.names.TimedLock");
    assertEdge(violation, "SuperLockCycle.first", "SuperLockCycle.second", "through-lock",
        "SuperLockCycle", "@held-first", "@acquire-second");
    assertEdge(violation, "SuperLockCycle.second", "SuperLockCycle.first", "through-acquire",
        "SuperLockCycle", "@super-acquire", "@super-acquire");
    EdgeRef throughAcquire = edge(violation, "SuperLockCycle.second", "SuperLockCycle.first");
    assertThat(throughAcquire.acquiredAt().get(0)).startsWith("fixtures.agent.names.TimedLock.acquire(");
    assertThat(outcome.report().stats().acquisitions())
        .as("four acquisitions: lock() -> super.lock() is one").isEqualTo(4);
    assertPrintedOnce(outcome, violation);
  }

  @Test
  void superLockInTheSameOrderIsSilent() throws Exception {
    Fixtures.Outcome outcome =
        Fixtures.runFixture(dir, "jdk=none", "names/SuperLockCycle", "consistent");

    assertThat(outcome.report().violations()).isEmpty();
    assertThat(outcome.report().stats().edges()).as("first -> second, by both threads").isEqualTo(1);
    assertThat(outcome.report().stats().acquisitions()).isEqualTo(4);
    assertThat(outcome.result().stderr()).doesNotContain("lockguard");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static void assertCycle(Violation violation, String... locks) {
    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.locks()).extracting(LockRef::name).containsExactlyInAnyOrder(locks);
    assertThat(violation.message()).contains("Lock-order cycle")
        .contains("deadlock if they run at the same moment");
    for (String lock : locks) {
      assertThat(violation.message()).contains(lock);
    }
    assertThat(violation.locks()).extracting(LockRef::name).noneMatch(name -> name.contains("@"));
    assertThat(violation.edges()).hasSize(locks.length);
  }

  private static EdgeRef edge(Violation violation, String from, String to) {
    List<EdgeRef> matching = violation.edges().stream()
        .filter(edge -> edge.from().equals(from) && edge.to().equals(to))
        .toList();
    assertThat(matching).as("edge %s -> %s", from, to).hasSize(1);
    return matching.get(0);
  }

  private static void assertEdge(Violation violation, String from, String to, String thread,
      String fixture, String heldMarker, String acquiredMarker) {
    EdgeRef edge = edge(violation, from, to);
    assertThat(edge.thread()).isEqualTo(thread);
    assertThat(edge.heldAt().get(0)).contains(Fixtures.lineOf("names/" + fixture, heldMarker));
    assertThat(edge.acquiredAt().get(0))
        .contains(Fixtures.lineOf("names/" + fixture, acquiredMarker));
    assertThat(edge.acquiredAt()).noneSatisfy(frame -> assertThat(frame).contains("dev.lockguard."));
    assertThat(violation.sites()).anySatisfy(site ->
        assertThat(site).contains(Fixtures.lineOf("names/" + fixture, acquiredMarker)));
  }

  /** The finding is printed on stderr once: its id appears on one line. */
  private static void assertPrintedOnce(Fixtures.Outcome outcome, Violation violation) {
    assertThat(outcome.result().stderr().lines().filter(line -> line.contains(violation.id())))
        .as(outcome.result().stderr()).hasSize(1);
  }
}
