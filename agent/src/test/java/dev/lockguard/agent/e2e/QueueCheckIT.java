package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Counts;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue check, end to end: fixtures from {@code fixtures.agent.queue} run under the shaded
 * agent in forked JVMs, their interleavings forced with latches.
 */
class QueueCheckIT {
  private static final Pattern STATISTICS =
      Pattern.compile("queueCalls=(\\d+) queuePairs=(\\d+) queuePairRuns=(\\d+) agentActive=true");

  @TempDir Path dir;

  // ---- must report ----------------------------------------------------------------------------

  @Test
  void twoConsumersIsEmptyThenTakeIsAnErrorReportedOnce() throws Exception {
    Run run = run("TwoConsumers");
    Violation violation = run.onlyViolation();

    // consumer-2 runs the whole pair while consumer-1 waits between its check and its take, so
    // the pair is reported at consumer-2's take; consumer-1's take, which sees the race, is no
    // more severe and is not printed again, but the JSON keeps it as the stronger report.
    assertFinding(violation, Severity.ERROR, "TwoConsumers", "consume",
        "TwoConsumers.jobs", "java.util.concurrent.LinkedBlockingQueue");
    assertThat(violation.threads()).containsExactlyInAnyOrder("consumer-2", "consumer-1");
    assertThat(run.printed()).contains(
        "thread \"consumer-2\" called isEmpty() at " + line("TwoConsumers", "@check"),
        "then take() at " + line("TwoConsumers", "@act"),
        "with no lock in common with thread \"consumer-1\", another consumer of the queue",
        "if another thread empties the queue in between, take() blocks until another element"
            + " arrives, for ever if none does",
        "Fix: call poll(timeout) and handle null");
    assertThat(violation.observed()).as("consumer-1's take saw the race: the JSON keeps it")
        .isTrue();
    assertThat(violation.message()).contains("thread \"consumer-2\" removed an element in between"
        + " (race observed)");
    run.assertPrintedOnce(violation);
    run.assertStatistics(4, 1, 2);
  }

  @Test
  void sizeBelowCapacityThenPutOnAStaticFieldIsAnError() throws Exception {
    Run run = run("SizeThenPut");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "SizeThenPut", "send",
        "SizeThenPut.OUTBOX", "java.util.concurrent.ArrayBlockingQueue");
    assertThat(violation.threads()).containsExactlyInAnyOrder("producer-2", "producer-1");
    assertThat(run.printed()).contains(
        "thread \"producer-2\" called size()",
        "then put(e)",
        "another producer of the queue; if another thread fills the queue in between, put(e)"
            + " blocks until another thread makes room, for ever if none does (the queue's"
            + " capacity is 1)",
        "Fix: call offer(e, timeout) and handle false");
    run.assertPrintedOnce(violation);
    run.assertStatistics(4, 1, 2);
  }

  /**
   * The issue's three producers, a hundred rounds in one JVM: the pair is printed once, at the
   * first report's severity, and the JSON keeps the observed race; no later round prints it again.
   */
  @Test
  void threeProducersRoundAfterRoundArePrintedOnceAndTheJsonKeepsTheObservedRace()
      throws Exception {
    Run run = run("ThreeProducers", "100");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "ThreeProducers", "send",
        "ThreeProducers.OUTBOX", "java.util.concurrent.ArrayBlockingQueue");
    run.assertPrintedOnce(violation);
    assertThat(run.printed()).contains("thread \"producer-2\" called size()",
        "with no lock in common with thread \"producer-1\", another producer of the queue")
        .doesNotContain("race observed");
    assertThat(violation.observed()).isTrue();
    assertThat(violation.message()).startsWith("Unsafe queue check on ThreeProducers.OUTBOX:"
        + " thread \"producer-1\" called size() at " + line("ThreeProducers", "@check")
        + " and then put(e) at " + line("ThreeProducers", "@act") + ", and thread")
        .contains("(race observed)");
    assertThat(run.stdout()).contains("rounds 100");
  }

  @Test
  void softLimitOnAnUnboundedPoolDequeIsAWarningAboutTheOvershoot() throws Exception {
    Run run = run("SoftLimitPool", "jdk");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.WARNING, "SoftLimitPool", "returnObject",
        "SoftLimitPool.idle", "java.util.concurrent.LinkedBlockingDeque");
    assertThat(violation.threads()).containsExactlyInAnyOrder("returner-2", "returner-1");
    assertThat(run.printed()).contains("Unsafe queue check on SoftLimitPool.idle: thread"
        + " \"returner-2\" called size() at " + line("SoftLimitPool", "@check") + " and then"
        + " addFirst(e) at " + line("SoftLimitPool", "@act") + ", with no lock in common with"
        + " thread \"returner-1\", another producer of the queue; if other threads add to the"
        + " queue in between, the queue may grow past the limit the check was to keep, by as many"
        + " elements as threads race here; addFirst(e) itself cannot fail, as this"
        + " LinkedBlockingDeque is unbounded. Fix: if the limit must hold, reserve a slot before"
        + " the add: a counter (an AtomicInteger incremented and compared with the limit first,"
        + " decremented when an element leaves) or a Semaphore with a permit per slot"
        + " (tryAcquire() before the add, release() when an element leaves); or hold one lock"
        + " around the check and the act in every thread that uses the queue. If a few elements"
        + " over the limit do no harm, accept the overshoot.");
    assertThat(violation.message()).doesNotContain("IllegalStateException", "offer(e, timeout)");
    assertThat(run.stdout()).contains("idle=2 maxIdle=1");
    run.assertPrintedOnce(violation);
    long[] statistics = run.statistics();
    assertThat(statistics[1]).as("pairs instrumented").isEqualTo(1);
    assertThat(statistics[2]).as("pair runs checked: every addFirst, most of 4,000 returns")
        .isGreaterThan(1_000);
  }

  @Test
  void softLimitOnThePoolsOwnDequeTypeIsAWarningAndItsCodeIsNotRun() throws Exception {
    Run run = run("SoftLimitPool", "own");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.WARNING, "SoftLimitPool", "returnObject",
        "SoftLimitPool.idle", "fixtures.agent.queue.SoftLimitPool$PoolDeque");
    assertThat(run.printed()).contains(
        "if other threads add to the queue in between, the queue may grow past the limit the"
            + " check was to keep, by as many elements as threads race here; lockguard does not"
            + " run SoftLimitPool$PoolDeque's own code to learn whether it is bounded; if it is,"
            + " addFirst(e) throws IllegalStateException once it is full.",
        "Fix: if the limit must hold, reserve a slot before the add");
    assertThat(run.stdout()).contains("idle=2 maxIdle=1", "remainingCapacity() calls=0");
    run.assertPrintedOnce(violation);
  }

  @Test
  void addFirstOnABoundedDequeWhoseCapacityIsTheLimitIsAnErrorThatThrows() throws Exception {
    Run run = run("BoundedDeque", "capacity");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "BoundedDeque", "push",
        "BoundedDeque.deque", "java.util.concurrent.LinkedBlockingDeque");
    assertThat(violation.threads()).containsExactlyInAnyOrder("producer-2", "producer-1");
    assertThat(run.printed()).contains("Unsafe queue check on BoundedDeque.deque: thread"
        + " \"producer-2\" called size() at " + line("BoundedDeque", "@check") + " and then"
        + " addFirst(e) at " + line("BoundedDeque", "@act") + ", with no lock in common with"
        + " thread \"producer-1\", another producer of the queue; if another thread fills the"
        + " queue in between, addFirst(e) throws IllegalStateException (the queue's capacity is"
        + " 2). Fix: call offerFirst(e) and handle false instead of checking first, or hold one"
        + " lock around the check and the act in every thread that uses the queue.");
    assertThat(run.stdout()).contains(
        "producer-1 was refused: java.lang.IllegalStateException: Deque full", "size=2 limit=2");
    run.assertPrintedOnce(violation);
    run.assertStatistics(4, 1, 2);
  }

  @Test
  void addFirstOnABoundedDequeWithALimitBelowItsCapacityIsAWarning() throws Exception {
    Run run = run("BoundedDeque", "below");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.WARNING, "BoundedDeque", "push",
        "BoundedDeque.deque", "java.util.concurrent.LinkedBlockingDeque");
    assertThat(run.printed()).contains(
        "if other threads add to the queue in between, the queue may grow past the limit the"
            + " check was to keep, by as many elements as threads race here; addFirst(e) throws"
            + " IllegalStateException only if they also fill the queue's capacity of 100 (it held"
            + " 1 element at the check)",
        "Fix: if the limit must hold, reserve a slot before the add");
    assertThat(run.stdout()).contains("size=3 limit=2").doesNotContain("refused");
    run.assertPrintedOnce(violation);
  }

  @Test
  void peekThenRemoveOnALocalQueueIsAnErrorThatThrows() throws Exception {
    Run run = run("PeekThenRemove", "race");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "PeekThenRemove", "receive",
        null, "java.util.concurrent.ConcurrentLinkedQueue");
    assertThat(violation.locks().get(0).name()).matches("ConcurrentLinkedQueue@[0-9a-f]+");
    assertThat(violation.threads()).containsExactlyInAnyOrder("consumer-2", "consumer-1");
    assertThat(run.printed()).contains(
        "called peek()", "then remove()",
        "another consumer of the queue; if another thread empties the queue in between, remove()"
            + " throws NoSuchElementException",
        "Fix: call poll() and handle null instead of checking first");
    assertThat(run.stdout()).contains("consumer-1 found the inbox empty after its peek");
    run.assertPrintedOnce(violation);
  }

  @Test
  void peekThenRemoveWithoutOverlapIsAnErrorToo() throws Exception {
    Run run = run("PeekThenRemove", "sequential");
    Violation violation = run.onlyViolation();

    // Was a WARNING while nothing overlapped; remove() throws once another consumer empties the
    // queue in between, which nothing here prevents: an ERROR (issue 13).
    assertFinding(violation, Severity.ERROR, "PeekThenRemove", "receive",
        null, "java.util.concurrent.ConcurrentLinkedQueue");
    assertThat(violation.threads()).containsExactly("consumer-1", "consumer-2");
    assertThat(violation.message()).contains(
        "with no lock in common with thread \"consumer-2\", another consumer of the queue",
        "if another thread empties the queue in between, remove() throws NoSuchElementException")
        .doesNotContain("race observed");
    run.assertPrintedOnce(violation);
  }

  @Test
  void capacityCheckInOfferOfAnElasticsearchLikeSizeBlockingQueueIsAnOvershoot()
      throws Exception {
    Run run = run("ThreadPoolQueue");
    Violation violation = run.onlyViolation();

    // Was an ERROR: the inner queue is an unbounded LinkedTransferQueue, so offer(e) cannot fail;
    // what goes wrong is the SizeBlockingQueue's own capacity overshot (issue 13).
    assertFinding(violation, Severity.WARNING, "SizeBlockingQueue", "offer",
        "SizeBlockingQueue.queue", "java.util.concurrent.LinkedTransferQueue");
    assertThat(violation.threads()).containsExactlyInAnyOrder("producer-2", "producer-1");
    assertThat(run.printed()).contains(
        "thread \"producer-2\" called size()", "then offer(e)",
        "the queue may grow past the limit the check was to keep",
        "offer(e) itself cannot fail, as this LinkedTransferQueue is unbounded",
        "reserve a slot before the add");
    assertThat(run.stdout()).contains("size=2 capacity=1");
    run.assertPrintedOnce(violation);
  }

  @Test
  void applicationDequeTypeWithTakeFirstIsAnErrorWithoutARace() throws Exception {
    Run run = run("DequeMailbox");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "DequeMailbox", "collect",
        null, "fixtures.agent.queue.DequeMailbox$Mailbox");
    assertThat(violation.threads()).containsExactly("postman-1", "postman-2");
    assertThat(violation.message()).contains("called peekFirst()", "then takeFirst()",
        "takeFirst() blocks until another element arrives").doesNotContain("race observed");
    run.assertPrintedOnce(violation);
    run.assertStatistics(4, 1, 2);
  }

  @Test
  void oneCheckBeforeAlternativeActsOnADequeFromAGetterIsOneFindingNamedAfterTheField()
      throws Exception {
    Run run = run("KeyedIdlePool", "race");
    Violation violation = run.onlyViolation();

    // Was two ids, one per act, each printed with LinkedBlockingDeque@<another hash> (issue 13,
    // D3 and D4 of docs/real-world.md): one check is one bug, whichever act follows it, and the
    // deque is named after the field its getter returns, whichever key's deque raced.
    assertThat(violation.kind()).isEqualTo(Kind.UNSAFE_QUEUE_CHECK);
    assertThat(violation.severity()).isEqualTo(Severity.WARNING);
    assertThat(violation.locks()).containsExactly(new LockRef(
        "KeyedIdlePool$ObjectDeque.idleObjects", "java.util.concurrent.LinkedBlockingDeque"));
    String frame = "fixtures.agent.queue.KeyedIdlePool.returnObject(";
    assertThat(violation.sites()).containsExactly(frame + line("KeyedIdlePool", "@check") + ")",
        frame + line("KeyedIdlePool", "@addFirst") + ")",
        frame + line("KeyedIdlePool", "@addLast") + ")");
    assertThat(violation.threads()).containsExactlyInAnyOrder("returner-a2", "returner-a1");
    assertThat(run.printed()).contains("Unsafe queue check on"
        + " KeyedIdlePool$ObjectDeque.idleObjects: thread \"returner-a2\" called size() at "
        + line("KeyedIdlePool", "@check") + " and then addFirst(e) at "
        + line("KeyedIdlePool", "@addFirst") + " (the same check also decides addLast(e) at "
        + line("KeyedIdlePool", "@addLast") + "), with no lock in common with thread"
        + " \"returner-a1\", another producer of the queue; if other threads add to the queue in"
        + " between, the queue may grow past the limit the check was to keep, by as many elements"
        + " as threads race here; addFirst(e) itself cannot fail, as this LinkedBlockingDeque is"
        + " unbounded. Fix: if the limit must hold, reserve a slot before the add",
        "\n Queue:\n   KeyedIdlePool$ObjectDeque.idleObjects  java.util.concurrent.LinkedBlockingDeque\n")
        .doesNotContain("Locks:", "LinkedBlockingDeque@");
    assertThat(run.stdout()).contains("key a: idle=2 maxIdlePerKey=1",
        "key b: idle=2 maxIdlePerKey=1");
    run.assertPrintedOnce(violation);
    assertThat(violation.counts()).as("reported on key a, raised by its race, counted on key b;"
        + " by the four returners").isEqualTo(new Counts(3, 0, 4));
    long[] statistics = run.statistics();
    assertThat(statistics[1]).as("pairs instrumented: the check with each act").isEqualTo(2);
    assertThat(statistics[2]).as("pair runs checked: two per key").isEqualTo(4);
  }

  // ---- must stay silent -----------------------------------------------------------------------

  @Test
  void pairsUnderTheLockEveryUserHoldsAreSilent() throws Exception {
    Run run = run("LockedPairs");
    assertThat(run.report().violations()).isEmpty();
    run.assertStatistics(9, 3, 2 * 50 * 3);
    assertThat(run.report().stats().acquisitions()).isGreaterThanOrEqualTo(2 * 50 * 3);
  }

  @Test
  void queuesConfinedToOneThreadAreSilent() throws Exception {
    Run run = run("ConfinedQueues");
    assertThat(run.report().violations()).isEmpty();
    run.assertStatistics(4, 2, 2 * 2 * 1_000);
  }

  @Test
  void pollWithTimeoutLoopIsSilentAndUninstrumented() throws Exception {
    Run run = run("PollTimeoutLoop");
    assertThat(run.report().violations()).isEmpty();
    run.assertStatistics(3, 0, 0);
    assertThat(run.stdout()).contains("handled=200");
  }

  @Test
  void sentinelShutdownIsSilentAndUninstrumented() throws Exception {
    Run run = run("SentinelShutdown");
    assertThat(run.report().violations()).isEmpty();
    run.assertStatistics(0, 0, 0); // no check at all: the constant pool tells, nothing is examined
    assertThat(run.stdout()).contains("handled=300");
  }

  @Test
  void oneProducerAndOneConsumerCannotMakeEachOthersChecksStaleAndAreSilent() throws Exception {
    Run run = run("OneProducerOneConsumer");
    assertThat(run.report().violations()).isEmpty();
    assertThat(run.stdout()).contains("sum=" + 2_000L * 2_001 / 2);
    long[] statistics = run.statistics();
    assertThat(statistics[1]).as("pairs instrumented").isEqualTo(2);
    assertThat(statistics[2]).as("pair runs checked").isGreaterThanOrEqualTo(2 * 2_000);
  }

  @Test
  void aFreeRoomCheckOnAnUnboundedQueueKeepsNoLimitAndIsSilent() throws Exception {
    Run run = run("RoomCheckOnUnboundedQueue");
    assertThat(run.report().violations()).isEmpty();
    assertThat(run.stdout()).contains("size=2");
    run.assertStatistics(3, 1, 2);
  }

  @Test
  void sizeReadOnlyForMetricsIsSilentAndUninstrumented() throws Exception {
    Run run = run("SizeForMetrics");
    assertThat(run.report().violations()).isEmpty();
    run.assertStatistics(7, 0, 0);
  }

  @Test
  void oneCheckBeforeAlternativeActsOnDequesConfinedToOneThreadEachIsSilent() throws Exception {
    Run run = run("KeyedIdlePool", "confined");
    assertThat(run.report().violations()).isEmpty();
    assertThat(run.stdout()).contains("key a: idle=0, key b: idle=0");
    long[] statistics = run.statistics();
    assertThat(statistics[1]).as("pairs instrumented: the check with each act").isEqualTo(2);
    assertThat(statistics[2]).as("pair runs checked: every return").isEqualTo(2 * 500);
  }

  // ---- cost ----------------------------------------------------------------------------------

  @Test
  void pairsAllocateNothingOnceTheirQueueIsKnown() throws Exception {
    Run run = run("PairHotPath");
    assertThat(run.report().violations()).extracting(Violation::severity)
        .containsExactly(Severity.WARNING, Severity.WARNING);
    Matcher bytes = Pattern.compile("runs=(\\d+) confined=(\\d+) guarded=(\\d+) reported=(\\d+)")
        .matcher(run.stdout());
    assertThat(bytes.find()).as(run.result().toString()).isTrue();
    long runs = Long.parseLong(bytes.group(1));
    for (int group = 2; group <= 4; group++) {
      assertThat(Long.parseLong(bytes.group(group)))
          .as("bytes allocated by %d runs of two pairs (%s)", runs, run.stdout())
          .isLessThan(runs);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Run run(String fixture, String... args) throws Exception {
    Path reportFile = dir.resolve(fixture + ".json");
    ForkedJvm.Result result = Fixtures.withAgent("report=" + reportFile)
        .run("fixtures.agent.queue." + fixture, args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).as(result.toString()).doesNotContain("failed:");
    assertThat(result.stderr()).as(result.toString()).doesNotContain("internal error");
    return new Run(result, Fixtures.readReport(reportFile));
  }

  /** The kind, severity, queue and both sites of a finding, with the check first. */
  private static void assertFinding(Violation violation, Severity severity, String fixture,
      String method, String queueName, String queueType) throws Exception {
    assertThat(violation.kind()).isEqualTo(Kind.UNSAFE_QUEUE_CHECK);
    assertThat(violation.severity()).isEqualTo(severity);
    assertThat(violation.id()).matches("[0-9a-f]{16}");
    assertThat(violation.locks()).extracting(LockRef::type).containsExactly(queueType);
    if (queueName != null) {
      assertThat(violation.locks()).extracting(LockRef::name).containsExactly(queueName);
    }
    assertThat(violation.edges()).isEmpty();
    String frame = "fixtures.agent.queue." + fixture + "." + method + "(";
    assertThat(violation.sites()).containsExactly(
        frame + line(fixture, "@check") + ")", frame + line(fixture, "@act") + ")");
  }

  /**
   * {@code File.java:N} for the line of {@code fixtures/agent/queue/File.java} marked
   * {@code marker}.
   */
  private static String line(String fixture, String marker) {
    return Fixtures.lineOf("queue/" + fixture, marker);
  }

  /** A forked run: what it printed and the report it wrote. */
  private record Run(ForkedJvm.Result result, Report report) {
    /**
     * What lockguard printed on stderr: the first report of each finding. The JSON keeps a pair's
     * strongest report (an observed race outranks a possible one at one severity), so the wording
     * of the report a user saw is asserted here, and the JSON's in the tests that need it.
     */
    String printed() {
      return result.stderr();
    }

    String stdout() {
      return result.stdout();
    }

    Violation onlyViolation() {
      assertThat(report.violations()).as(result.toString()).hasSize(1);
      return report.violations().get(0);
    }

    /** The finding was printed on stderr once, under its kind, severity and id. */
    void assertPrintedOnce(Violation violation) {
      String header = "=== lockguard: " + violation.kind() + " (" + violation.severity() + ") ["
          + violation.id() + "] ===";
      assertThat(result.stderr()).as(result.toString()).contains(header);
      assertThat(result.stderr().split("=== lockguard: ", -1)).as("findings printed")
          .hasSize(2);
    }

    /**
     * Queue calls the agent examined (in classes whose constant pool names a check and an act),
     * pairs it instrumented and pair runs the runtime checked; and that the agent was active.
     */
    void assertStatistics(long calls, long pairs, long runs) {
      assertThat(statistics()).as("queue calls, pairs, pair runs")
          .containsExactly(calls, pairs, runs);
    }

    /** Queue calls examined, pairs instrumented, pair runs checked; the agent was active. */
    long[] statistics() {
      Matcher matcher = STATISTICS.matcher(result.stdout());
      assertThat(matcher.find()).as(result.toString()).isTrue();
      return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
          Long.parseLong(matcher.group(3))};
    }
  }
}
