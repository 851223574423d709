package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
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
  void twoConsumersIsEmptyThenTakeIsAnObservedRace() throws Exception {
    Run run = run("TwoConsumers");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "TwoConsumers", "consume",
        "TwoConsumers.jobs", "java.util.concurrent.LinkedBlockingQueue");
    assertThat(violation.threads()).containsExactly("consumer-1", "consumer-2");
    assertThat(violation.message()).contains(
        "thread \"consumer-1\" called isEmpty() at " + line("TwoConsumers", "@check"),
        "then take() at " + line("TwoConsumers", "@act"),
        "thread \"consumer-2\" removed an element in between (race observed)",
        "take() blocks for ever",
        "Fix: call poll(timeout) and handle null");
    run.assertStatistics(4, 1, 2);
  }

  @Test
  void sizeBelowCapacityThenPutOnAStaticField() throws Exception {
    Run run = run("SizeThenPut");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "SizeThenPut", "send",
        "SizeThenPut.OUTBOX", "java.util.concurrent.ArrayBlockingQueue");
    assertThat(violation.threads()).containsExactly("producer-1", "producer-2");
    assertThat(violation.message()).contains(
        "thread \"producer-1\" called size()",
        "then put(e)",
        "thread \"producer-2\" added an element in between (race observed)",
        "put(e) blocks for ever",
        "Fix: call offer(e, timeout) and handle false");
    run.assertStatistics(4, 1, 2);
  }

  @Test
  void peekThenRemoveOnALocalQueueRaced() throws Exception {
    Run run = run("PeekThenRemove", "race");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "PeekThenRemove", "receive",
        null, "java.util.concurrent.ConcurrentLinkedQueue");
    assertThat(violation.locks().get(0).name()).matches("ConcurrentLinkedQueue@[0-9a-f]+");
    assertThat(violation.threads()).containsExactly("consumer-1", "consumer-2");
    assertThat(violation.message()).contains(
        "called peek()", "then remove()",
        "thread \"consumer-2\" removed an element in between (race observed)",
        "remove() throws NoSuchElementException");
    assertThat(run.stdout()).contains("consumer-1 found the inbox empty after its peek");
  }

  @Test
  void peekThenRemoveWithoutOverlapIsAWarning() throws Exception {
    Run run = run("PeekThenRemove", "sequential");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.WARNING, "PeekThenRemove", "receive",
        null, "java.util.concurrent.ConcurrentLinkedQueue");
    assertThat(violation.threads()).containsExactly("consumer-1", "consumer-2");
    assertThat(violation.message()).contains(
        "with no lock in common with thread \"consumer-2\", which also uses the queue",
        "if another thread empties the queue in between, remove() throws NoSuchElementException")
        .doesNotContain("race observed");
  }

  @Test
  void capacityCheckInOfferOfAnElasticsearchLikeSizeBlockingQueue() throws Exception {
    Run run = run("ThreadPoolQueue");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "SizeBlockingQueue", "offer",
        "SizeBlockingQueue.queue", "java.util.concurrent.LinkedTransferQueue");
    assertThat(violation.threads()).containsExactly("producer-1", "producer-2");
    assertThat(violation.message()).contains(
        "thread \"producer-1\" called size()", "then offer(e)",
        "thread \"producer-2\" added an element in between (race observed)",
        "the queue grows past the limit the check was to keep");
    assertThat(run.stdout()).contains("size=2 capacity=1");
  }

  @Test
  void applicationDequeTypeWithTakeFirstIsAnErrorWithoutARace() throws Exception {
    Run run = run("DequeMailbox");
    Violation violation = run.onlyViolation();

    assertFinding(violation, Severity.ERROR, "DequeMailbox", "collect",
        null, "fixtures.agent.queue.DequeMailbox$Mailbox");
    assertThat(violation.threads()).containsExactly("postman-1", "postman-2");
    assertThat(violation.message()).contains("called peekFirst()", "then takeFirst()",
        "takeFirst() blocks for ever").doesNotContain("race observed");
    run.assertStatistics(4, 1, 2);
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
  void sizeReadOnlyForMetricsIsSilentAndUninstrumented() throws Exception {
    Run run = run("SizeForMetrics");
    assertThat(run.report().violations()).isEmpty();
    run.assertStatistics(7, 0, 0);
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
    String stdout() {
      return result.stdout();
    }

    Violation onlyViolation() {
      assertThat(report.violations()).as(result.toString()).hasSize(1);
      return report.violations().get(0);
    }

    /**
     * Queue calls the agent examined (in classes whose constant pool names a check and an act),
     * pairs it instrumented and pair runs the runtime checked; and that the agent was active.
     */
    void assertStatistics(long calls, long pairs, long runs) {
      Matcher matcher = STATISTICS.matcher(result.stdout());
      assertThat(matcher.find()).as(result.toString()).isTrue();
      assertThat(new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
          Long.parseLong(matcher.group(3))})
          .as("queue calls, pairs, pair runs").containsExactly(calls, pairs, runs);
    }
  }
}
