package dev.lockguard.internal.queue;

import static dev.lockguard.internal.TestThreads.join;
import static dev.lockguard.internal.TestThreads.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.internal.FreshRuntime;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.internal.lockorder.Hooks;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The queue check driven through {@link QueueHooks}, in process, around the calls of the pair
 * {@code if (!jobs.isEmpty()) jobs.take()} of an application class {@code app.Jobs}, registered
 * as the agent would register it.
 */
class QueueChecksTests {
  private static final String CHECK = "app.Jobs.consume(Jobs.java:10)";
  private static final String ACT = "app.Jobs.consume(Jobs.java:12)";
  private static final LockRef JOBS =
      new LockRef("Jobs.queue", LinkedBlockingQueue.class.getName());
  private static final String TAKE_BLOCKS = "take() blocks until another element arrives, for"
      + " ever if none does.";
  private static final String CONSUMER_FIX = " Fix: call poll(timeout) and handle null (stop"
      + " consumers with a sentinel element), or hold one lock around the check and the act in"
      + " every thread that uses the queue.";

  @RegisterExtension final FreshRuntime runtime = new FreshRuntime();
  private final BlockingQueue<String> jobs = new LinkedBlockingQueue<>();
  private int checkSite;
  private int actSite;

  @BeforeEach
  void registerThePair() {
    checkSite = Sites.register("app.Jobs", "consume", "Jobs.java", 10, "Jobs.queue");
    actSite = Sites.register("app.Jobs", "consume", "Jobs.java", 12, "Jobs.queue");
    QueueSites.check(checkSite, QueueOp.IS_EMPTY);
    QueueSites.act(actSite, QueueOp.TAKE, new int[] {checkSite});
  }

  // ---- must report ----------------------------------------------------------------------------

  @Test
  void aPairIsReportedOnceTheConsumerSideIsSharedAndAgainToKeepTheRaceItSawLater()
      throws Exception {
    jobs.put("job-1");
    CountDownLatch firstChecked = new CountDownLatch(1);
    CountDownLatch secondTook = new CountDownLatch(1);
    Thread first = start("consumer-1", () -> consume(() -> {
      firstChecked.countDown();
      secondTook.await();
    }));
    Thread second = start("consumer-2", () -> {
      firstChecked.await();
      consume(() -> { });
      secondTook.countDown();
    });
    join(second);
    jobs.put("job-2"); // consumer-1 waits in take() for it
    join(first);

    assertThat(runtime.findings()).hasSize(2);
    Violation unsafe = runtime.findings().get(0);
    assertFinding(unsafe, Severity.ERROR, "consumer-2", "consumer-1");
    assertThat(unsafe.message()).isEqualTo("Unsafe queue check on Jobs.queue: thread"
        + " \"consumer-2\" called isEmpty() at Jobs.java:10 and then take() at Jobs.java:12, with"
        + " no lock in common with thread \"consumer-1\", another consumer of the queue; if"
        + " another thread empties the queue in between, " + TAKE_BLOCKS + CONSUMER_FIX);
      Violation raced = runtime.findings().get(1);
    assertFinding(raced, Severity.ERROR, "consumer-1", "consumer-2");
    assertThat(raced.message()).contains("(race observed)");
    assertThat(raced.observed()).isTrue();
    assertThat(runtime.recorded()).as("the race replaces the first finding of the pair")
        .singleElement().satisfies(recorded -> {
          assertThat(recorded.message()).isEqualTo(raced.message());
          assertThat(recorded.observed()).isTrue();
          assertThat(recorded.counts()).isEqualTo(new Violation.Counts(2, 0, 2));
        });
  }

  @Test
  void aRaceSeenAtTheFirstReportIsToldAndNamesTheOtherConsumer() throws Exception {
    jobs.put("job-1");
    CountDownLatch firstChecked = new CountDownLatch(1);
    CountDownLatch secondTook = new CountDownLatch(1);
    Thread first = start("consumer-1", () -> consume(() -> {
      firstChecked.countDown();
      secondTook.await();
    }));
    Thread second = start("consumer-2", () -> {
      firstChecked.await();
      takeWithoutChecking(); // the act's site, reached past its check: no pair of its own runs
      secondTook.countDown();
    });
    join(second);
    jobs.put("job-2");
    join(first);

    Violation raced = runtime.onlyFinding();
    assertFinding(raced, Severity.ERROR, "consumer-1", "consumer-2");
    assertThat(raced.message()).isEqualTo("Unsafe queue check on Jobs.queue: thread"
        + " \"consumer-1\" called isEmpty() at Jobs.java:10 and then take() at Jobs.java:12, and"
        + " thread \"consumer-2\" removed an element in between (race observed), so "
        + TAKE_BLOCKS + CONSUMER_FIX);
    assertThat(raced.observed()).isTrue();
  }

  @Test
  void aPairThatRanUnderACommonLockIsReportedOnceAThreadTouchesTheQueueWithoutIt()
      throws Exception {
    ReentrantLock guard = new ReentrantLock();
    jobs.put("job-1");
    jobs.put("job-2");
    join(start("consumer-1", () -> consumeHolding(guard)));
    join(start("consumer-2", () -> consumeHolding(guard)));
    assertThat(runtime.findings()).as("every touch so far held the guard").isEmpty();

    join(start("intruder", () -> QueueHooks.afterIsEmpty(jobs.isEmpty(), jobs, checkSite)));

    Violation violation = runtime.onlyFinding();
    assertFinding(violation, Severity.ERROR, "consumer-1", "intruder");
    assertThat(violation.message()).contains("thread \"consumer-1\" called isEmpty()",
        "with no lock in common with thread \"intruder\", another consumer", TAKE_BLOCKS);
  }

  // ---- must stay silent -----------------------------------------------------------------------

  @Test
  void aQueueOnlyOneThreadTouchesIsSilent() throws Exception {
    for (int i = 0; i < 10; i++) {
      jobs.put("job-" + i);
      consume(() -> { });
    }

    assertThat(runtime.findings()).isEmpty();
    assertThat(QueueChecks.pairRuns()).as("every run of the pair was judged").isEqualTo(10);
  }

  @Test
  void aPairUnderALockHeldAtEveryTouchIsSilent() throws Exception {
    ReentrantLock guard = new ReentrantLock();
    jobs.put("job-1");
    jobs.put("job-2");
    join(start("consumer-1", () -> consumeHolding(guard)));
    join(start("consumer-2", () -> consumeHolding(guard)));

    assertThat(runtime.findings()).isEmpty();
    assertThat(QueueChecks.pairRuns()).as("both runs of the pair were judged").isEqualTo(2);
  }

  @Test
  void aConsumerPairWithOnlyAProducerBesideItIsSilent() throws Exception {
    int putSite = Sites.register("app.Jobs", "produce", "Jobs.java", 20, "Jobs.queue");
    QueueSites.act(putSite, QueueOp.PUT, new int[0]);
    join(start("producer", () -> {
      for (int i = 0; i < 3; i++) {
        QueueHooks.act(jobs, putSite);
        jobs.put("job-" + i);
        QueueHooks.afterChange(jobs, putSite);
      }
    }));
    for (int i = 0; i < 3; i++) {
      consume(() -> { });
    }

    assertThat(runtime.findings()).as("only this thread takes: the check cannot go stale")
        .isEmpty();
    assertThat(QueueChecks.pairRuns()).isEqualTo(3);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A body run between the check and the act. */
  private interface Between {
    void run() throws InterruptedException;
  }

  /** {@code if (!jobs.isEmpty()) jobs.take()}, with the hooks the agent inserts around it. */
  private void consume(Between betweenCheckAndTake) throws InterruptedException {
    boolean empty = jobs.isEmpty();
    QueueHooks.afterIsEmpty(empty, jobs, checkSite);
    if (!empty) {
      betweenCheckAndTake.run();
      takeWithoutChecking();
    }
  }

  /** The act of the pair alone, with its hooks. */
  private void takeWithoutChecking() throws InterruptedException {
    QueueHooks.act(jobs, actSite);
    jobs.take();
    QueueHooks.afterChange(jobs, actSite);
  }

  /** The pair under {@code guard}, taken through the lock-order hooks that keep the lockset. */
  private void consumeHolding(ReentrantLock guard) throws InterruptedException {
    Hooks.lock(guard, Sites.UNKNOWN);
    try {
      consume(() -> { });
    } finally {
      Hooks.unlock(guard, Sites.UNKNOWN);
    }
  }

  private static void assertFinding(Violation violation, Severity severity, String thread,
      String other) {
    assertThat(violation.id())
        .isEqualTo(Findings.stableId(Kind.UNSAFE_QUEUE_CHECK, List.of(CHECK, ACT)));
    assertThat(violation.kind()).isEqualTo(Kind.UNSAFE_QUEUE_CHECK);
    assertThat(violation.severity()).isEqualTo(severity);
    assertThat(violation.sites()).containsExactly(CHECK, ACT);
    assertThat(violation.threads()).containsExactly(thread, other);
    assertThat(violation.locks()).containsExactly(JOBS);
    assertThat(violation.edges()).isEmpty();
    assertThat(violation.waiters()).isEmpty();
  }
}
