package dev.lockguard.internal.latch;

import static dev.lockguard.internal.TestThreads.awaitBlocked;
import static dev.lockguard.internal.TestThreads.join;
import static dev.lockguard.internal.TestThreads.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.Event;
import dev.lockguard.internal.FreshRuntime;
import dev.lockguard.internal.core.Config;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.report.Violation.WaiterRef;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The latch detector driven through {@link LatchHooks} and {@link Event}, in process, as
 * instrumented code would call them. Sites are registered as the agent would register them, in an
 * application class {@code app.Gate}; each interleaving is made certain with waits on the threads.
 */
class LatchDetectorTests {
  private static final String CDL = "java.util.concurrent.CountDownLatch";

  @RegisterExtension final FreshRuntime runtime = new FreshRuntime();
  private final String main = Thread.currentThread().getName();

  // ---- must report ----------------------------------------------------------------------------

  @Test
  void eventClearedAfterItsSetWhileAThreadStillWaitsIsAnError() throws Exception {
    Event ready = new Event();
    int awaitSite = site("awaitReady", 20, "Gate.ready");
    int clearSite = site("rearm", 31, "Gate.ready");
    Thread waiter = start("waiter", () -> {
      LatchHooks.callSite(awaitSite);
      ready.await();
    });
    awaitBlocked(waiter);
    ReentrantLock internal = internalLock(ready);
    internal.lock(); // the woken waiter cannot return before the clear
    try {
      LatchHooks.callSite(site("open", 30, "Gate.ready"));
      ready.set();
      LatchHooks.callSite(clearSite);
      ready.clear();
    } finally {
      internal.unlock();
    }
    join(waiter);

    Violation violation = runtime.onlyFinding();
    assertFinding(violation, Severity.ERROR, "cleared-while-waiting",
        new LockRef("Gate.ready", Event.class.getName()), List.of("app.Gate.rearm(Gate.java:31)"),
        List.of(main, "waiter"));
    assertThat(violation.message()).isEqualTo("Event Gate.ready was cleared at"
        + " app.Gate.rearm(Gate.java:31) while 1 thread still waited on it (\"waiter\"): woken by"
        + " the set but not yet returned, a waiter that looks again after the clear misses the"
        + " signal." + LatchReports.ADVICE);
    assertWaiters(violation, "Gate.ready", "waiter");
    assertThat(violation.waiters().get(0).stack())
        .anySatisfy(frame -> assertThat(frame).startsWith("dev.lockguard.Event.await(Event.java:"));
  }

  @Test
  void eventClearedAfterItsWaiterGotThroughIsAWarningReportedOnce() throws Exception {
    Event round = new Event();
    int awaitSite = site("awaitRound", 20, "Gate.round");
    Thread waiter = start("waiter", () -> {
      LatchHooks.callSite(awaitSite);
      round.await();
    });
    awaitBlocked(waiter);
    set(round);
    join(waiter);
    clear(round);
    set(round);
    clear(round); // the same finding again: not published twice

    Violation violation = runtime.onlyFinding();
    assertFinding(violation, Severity.WARNING, "cleared",
        new LockRef("Gate.round", Event.class.getName()), List.of("app.Gate.rearm(Gate.java:31)"),
        List.of(main));
    assertThat(violation.message()).isEqualTo("Event Gate.round was cleared at"
        + " app.Gate.rearm(Gate.java:31) after it was set, which re-arms it: a waiter that comes"
        + " late misses the set, and one that looks before the clear runs on."
        + LatchReports.ADVICE);
    assertThat(violation.waiters()).isEmpty();
  }

  @Test
  void latchReplacedInItsFieldWhileAThreadWaitsIsALostWakeUpOnceTheNewOneIsSignalled()
      throws Exception {
    CountDownLatch old = new CountDownLatch(1);
    int awaitSite = site("awaitOpen", 40, "Gate.open");
    Thread waiter = start("waiter", () -> LatchHooks.await(old, awaitSite));
    awaitBlocked(waiter);
    CountDownLatch fresh = new CountDownLatch(1);

    LatchHooks.fieldStore(fresh, old, site("reopen", 50, "Gate.open"));
    assertThat(runtime.findings()).as("the old latch may still be opened: a hand-over").isEmpty();
    LatchHooks.countDown(fresh, site("release", 60, "Gate.open"));
    old.countDown();
    join(waiter);

    Violation violation = runtime.onlyFinding();
    assertFinding(violation, Severity.ERROR, "replaced-while-waiting", new LockRef("Gate.open", CDL),
        List.of("app.Gate.reopen(Gate.java:50)", "app.Gate.release(Gate.java:60)"),
        List.of(main, "waiter"));
    assertThat(violation.message()).isEqualTo("CountDownLatch Gate.open was replaced at"
        + " app.Gate.reopen(Gate.java:50) by \"" + main + "\" while 1 thread still waited on the"
        + " old instance, and the new one was signalled at app.Gate.release(Gate.java:60): the"
        + " thread waiting on the old one is never woken (a lost wake-up). Open the old latch"
        + " before replacing it, or hand each round a fresh latch before anyone waits on it; a"
        + " Phaser does this for you.");
    assertWaiters(violation, "Gate.open", "waiter");
  }

  @Test
  void aLostWakeUpOfTwoWaitersSpeaksOfThemInThePlural() throws Exception {
    CountDownLatch old = new CountDownLatch(1);
    int awaitSite = site("awaitOpen", 40, "Gate.open");
    Thread first = start("waiter-1", () -> LatchHooks.await(old, awaitSite));
    awaitBlocked(first);
    Thread second = start("waiter-2", () -> LatchHooks.await(old, awaitSite));
    awaitBlocked(second);

    CountDownLatch fresh = new CountDownLatch(1);
    LatchHooks.fieldStore(fresh, old, site("reopen", 50, "Gate.open"));
    LatchHooks.countDown(fresh, site("release", 60, "Gate.open"));
    old.countDown();
    join(first, second);

    assertThat(runtime.onlyFinding().message()).contains(" while 2 threads still waited on the"
        + " old instance, and the new one was signalled at app.Gate.release(Gate.java:60): the"
        + " threads waiting on the old one are never woken (a lost wake-up).");
  }

  @Test
  void anEventSetAndClearedWhileTwoFormerWaitersWereAwaySpeaksOfThemInThePlural()
      throws Exception {
    Event tick = new Event();
    int awaitSite = site("awaitTick", 20, "Gate.tick");
    CountDownLatch back = new CountDownLatch(1);
    Thread first = pollThenWait("worker-1", tick, awaitSite, back);
    Thread second = pollThenWait("worker-2", tick, awaitSite, back);

    set(tick);
    clear(tick);
    back.countDown();
    join(first, second);

    Violation violation = runtime.onlyFinding();
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.message()).isEqualTo("Event Gate.tick was set and cleared again at"
        + " app.Gate.rearm(Gate.java:31) while \"worker-1\" and \"worker-2\", which awaited it"
        + " before, were not waiting: they missed this set and will wait for the next one."
        + LatchReports.ADVICE);
  }

  @Test
  void latchReplacedAfterItOpenedWhileAnotherThreadReadsTheFieldIsAWarning() throws Exception {
    CountDownLatch round = new CountDownLatch(1);
    round.countDown();
    CountDownLatch finish = new CountDownLatch(1);
    int awaitSite = site("awaitRound", 70, "Gate.round");
    Thread worker = start("worker", () -> {
      LatchHooks.await(round, awaitSite); // open: passes at once
      finish.await();
    });
    awaitBlocked(worker);

    LatchHooks.fieldStore(new CountDownLatch(1), round, site("nextRound", 80, "Gate.round"));
    finish.countDown();
    join(worker);

    Violation violation = runtime.onlyFinding();
    assertFinding(violation, Severity.WARNING, "replaced-after-open",
        new LockRef("Gate.round", CDL), List.of("app.Gate.nextRound(Gate.java:80)"),
        List.of(main, "worker"));
    assertThat(violation.message()).isEqualTo("CountDownLatch Gate.round was replaced at"
        + " app.Gate.nextRound(Gate.java:80) after it had opened, while \"worker\" keeps reading"
        + " the field: a reader that reads it just before the store finds the old, open latch and"
        + " runs on without waiting." + LatchReports.ADVICE);
    assertWaiters(violation, "Gate.round", "worker");
  }

  @Test
  void barrierResetUnderWaitingPartiesIsAnError() throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(3);
    int awaitSite = site("meet", 90, "Gate.barrier");
    AtomicInteger broken = new AtomicInteger();
    Thread first = start("party-1", () -> meet(barrier, awaitSite, broken));
    awaitBlocked(first);
    Thread second = start("party-2", () -> meet(barrier, awaitSite, broken));
    awaitBlocked(second);

    LatchHooks.reset(barrier, site("restart", 95, "Gate.barrier"));
    join(first, second);

    assertThat(broken).as("both parties lost their cycle").hasValue(2);
    Violation violation = runtime.onlyFinding();
    assertFinding(violation, Severity.ERROR, "reset-while-waiting",
        new LockRef("Gate.barrier", CyclicBarrier.class.getName()),
        List.of("app.Gate.restart(Gate.java:95)"), List.of(main, "party-1", "party-2"));
    assertThat(violation.message()).isEqualTo("CyclicBarrier Gate.barrier was reset at"
        + " app.Gate.restart(Gate.java:95) while 2 parties waited on it: they get"
        + " BrokenBarrierException instead of their cycle. Reset a barrier only when no party"
        + " waits, or let it advance through its cycles.");
    assertWaiters(violation, "Gate.barrier", "party-1", "party-2");
  }

  @Test
  void aBarrierResetUnderOnePartySpeaksOfItInTheSingular() throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(2);
    int awaitSite = site("meet", 90, "Gate.barrier");
    AtomicInteger broken = new AtomicInteger();
    Thread party = start("party-1", () -> meet(barrier, awaitSite, broken));
    awaitBlocked(party);

    LatchHooks.reset(barrier, site("restart", 95, "Gate.barrier"));
    join(party);

    assertThat(broken).hasValue(1);
    assertThat(runtime.onlyFinding().message()).isEqualTo("CyclicBarrier Gate.barrier was reset"
        + " at app.Gate.restart(Gate.java:95) while 1 party waited on it: it gets"
        + " BrokenBarrierException instead of its cycle. Reset a barrier only when no party"
        + " waits, or let it advance through its cycles.");
  }

  @Test
  void awaitingAnOpenLatchOverAndOverAfterBlockingOnItOnceIsASpin() throws Exception {
    CountDownLatch tick = new CountDownLatch(1);
    int spinSite = site("poll", 100, "Gate.tick");
    Thread poller = start("poller", () -> {
      for (int i = 0; i < 2 * LatchDetector.SPIN_THRESHOLD; i++) {
        LatchHooks.await(tick, spinSite);
      }
    });
    awaitBlocked(poller);
    tick.countDown();
    join(poller);

    Violation violation = runtime.onlyFinding();
    assertFinding(violation, Severity.WARNING, "spin", new LockRef("Gate.tick", CDL),
        List.of("app.Gate.poll(Gate.java:100)"), List.of("poller"));
    assertThat(violation.message()).isEqualTo("Thread \"poller\" awaited CountDownLatch Gate.tick"
        + " 1000 times in a row at app.Gate.poll(Gate.java:100) after it had opened: it expects"
        + " the latch to re-arm, but a latch stays open, so this loop spins instead of waiting."
        + LatchReports.ADVICE);
    assertWaiters(violation, "Gate.tick", "poller");
  }

  @Test
  void aOneShotLatchAwaitedAgainWhereItBlockedBeforeItsOpenerSignalsAgainIsAnError()
      throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    int awaitSite = site("start", 130, "Gate.ready");
    int readySite = site("listen", 131, "Gate.ready");
    blockUntilCountedDown(ready, awaitSite, "listener-1", readySite);
    for (int round = 2; round <= 3; round++) {
      LatchHooks.await(ready, awaitSite); // open: returns at once
      join(start("listener-" + round, () -> LatchHooks.countDown(ready, readySite)));
    }

    Violation violation = runtime.onlyFinding();
    assertFinding(violation, Severity.ERROR, "awaited-again-before-signal",
        new LockRef("Gate.ready", CDL),
        List.of("app.Gate.start(Gate.java:130)", "app.Gate.listen(Gate.java:131)"),
        List.of("listener-2", main));
    assertThat(violation.message()).isEqualTo("CountDownLatch Gate.ready is used as a gate that"
        + " opens every round, but it opens only once: \"" + main + "\" blocked on it at"
        + " app.Gate.start(Gate.java:130) until it opened, came back to that await and returned at"
        + " once, and then \"listener-2\" counted it down again at app.Gate.listen(Gate.java:131)."
        + " The second await returned before this signal, so the code after it ran before what"
        + " the signal stands for (in a restart: the new worker listening) had happened. Give each"
        + " round a fresh latch, made and handed over before anyone waits on it, or use a Phaser"
        + " or a Condition with a generation counter.");
    assertThat(violation.waiters()).isEmpty();
  }

  @Test
  void anEventSetAgainAfterItsWaiterCameBackToItIsAnErrorToo() throws Exception {
    Event started = new Event();
    int awaitSite = site("start", 135, "Gate.started");
    int setSite = site("serve", 136, "Gate.started");
    Thread starter = Thread.currentThread();
    Thread first = start("worker-1", () -> {
      awaitBlocked(starter);
      LatchHooks.callSite(setSite);
      started.set();
    });
    LatchHooks.callSite(awaitSite);
    started.await();
    join(first);
    LatchHooks.callSite(awaitSite);
    started.await(); // set: returns at once
    join(start("worker-2", () -> {
      LatchHooks.callSite(setSite);
      started.set();
    }));

    Violation violation = runtime.onlyFinding();
    assertFinding(violation, Severity.ERROR, "awaited-again-before-signal",
        new LockRef("Gate.started", Event.class.getName()),
        List.of("app.Gate.start(Gate.java:135)", "app.Gate.serve(Gate.java:136)"),
        List.of("worker-2", main));
    assertThat(violation.message()).startsWith("Event Gate.started is used as a gate that opens"
        + " every round").contains("and then \"worker-2\" set it again at");
  }

  // ---- must stay silent -----------------------------------------------------------------------

  @Test
  void anIdempotentCloseCountingDownFromSeveralThreadsIsSilent() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    int awaitSite = site("awaitClosed", 140, "Gate.closed");
    int closeSite = site("close", 141, "Gate.closed");
    Thread watcher = start("watcher", () -> LatchHooks.await(closed, awaitSite));
    awaitBlocked(watcher);
    Thread[] closers = new Thread[3];
    for (int i = 0; i < closers.length; i++) {
      closers[i] = start("closer-" + i, () -> LatchHooks.countDown(closed, closeSite));
    }
    join(closers);
    join(watcher);
    LatchHooks.await(closed, awaitSite); // a late look: closed, returns at once
    LatchHooks.countDown(closed, closeSite); // and close() once more

    assertThat(runtime.findings()).isEmpty();
    assertThat(LatchTable.seen()).as("the latch was watched").isEqualTo(1);
  }

  @Test
  void aStartedLatchThatEveryRequestAwaitsAfterItOpenedOnceIsSilent() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    int awaitSite = site("handle", 150, "Gate.started");
    Thread requests = start("request-handler", () -> {
      for (int request = 0; request < 5; request++) {
        LatchHooks.await(started, awaitSite); // blocks before the start, then passes
      }
    });
    awaitBlocked(requests);
    LatchHooks.countDown(started, site("start", 151, "Gate.started"));
    join(requests);
    join(start("late-request", () -> LatchHooks.await(started, awaitSite)));

    assertThat(runtime.findings()).isEmpty();
    assertThat(LatchTable.seen()).as("the latch was watched").isEqualTo(1);
  }

  @Test
  void aFreshLatchPerRoundHandedOverBeforeAnyoneWaitsIsSilent() throws Exception {
    int storeSite = site("start", 160, "Gate.ready");
    int awaitSite = site("start", 162, "Gate.ready");
    int readySite = site("listen", 163, "Gate.ready");
    CountDownLatch ready = null;
    for (int round = 1; round <= 3; round++) {
      CountDownLatch fresh = new CountDownLatch(1);
      LatchHooks.fieldStore(fresh, ready, storeSite);
      ready = fresh;
      blockUntilCountedDown(fresh, awaitSite, "listener-" + round, readySite);
    }

    assertThat(runtime.findings()).isEmpty();
    assertThat(LatchTable.seen()).as("one latch per round").isEqualTo(3);
  }

  @Test
  void aOneShotLatchUsedOnceIsSilent() throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    int awaitSite = site("awaitReady", 110, "Gate.ready");
    Thread first = start("waiter-1", () -> LatchHooks.await(ready, awaitSite));
    Thread second = start("waiter-2", () -> LatchHooks.await(ready, awaitSite));
    awaitBlocked(first);
    awaitBlocked(second);
    LatchHooks.countDown(ready, site("open", 111, "Gate.ready"));
    join(first, second);

    assertThat(runtime.findings()).isEmpty();
    assertThat(LatchTable.seen()).as("the latch was watched").isEqualTo(1);
  }

  @Test
  void aPhaserAdvancingThroughItsPhasesIsSilent() throws Exception {
    Phaser phaser = new Phaser(2);
    int arriveSite = site("step", 120, "Gate.phaser");
    Thread worker = start("worker", () -> {
      for (int phase = 0; phase < 5; phase++) {
        LatchHooks.arriveAndAwaitAdvance(phaser, arriveSite);
      }
    });
    for (int phase = 0; phase < 5; phase++) {
      LatchHooks.arriveAndAwaitAdvance(phaser, arriveSite);
    }
    join(worker);

    assertThat(runtime.findings()).isEmpty();
    assertThat(LatchTable.seen()).as("the phaser was watched").isEqualTo(1);
  }

  @Test
  void withoutTheAgentTheHooksOnlyMakeTheCall() throws Exception {
    Config.reset();
    Event event = new Event();
    set(event);
    clear(event);
    set(event);
    clear(event);

    assertThat(runtime.findings()).isEmpty();
    assertThat(LatchTable.seen()).isZero();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Registers a site of the application class {@code app.Gate}, as the agent would. */
  private static int site(String method, int line, String field) {
    return Sites.register("app.Gate", method, "Gate.java", line, field);
  }

  private static void set(Event event) {
    LatchHooks.callSite(site("open", 30, null));
    event.set();
  }

  private static void clear(Event event) {
    LatchHooks.callSite(site("rearm", 31, null));
    event.clear();
  }

  /**
   * One round of a server's start: this thread awaits {@code latch} at {@code awaitSite} and
   * blocks; a thread named {@code listener} counts it down at {@code readySite} once it does.
   */
  private static void blockUntilCountedDown(CountDownLatch latch, int awaitSite,
      String listener, int readySite) throws InterruptedException {
    Thread starter = Thread.currentThread();
    Thread worker = start(listener, () -> {
      awaitBlocked(starter);
      LatchHooks.countDown(latch, readySite);
    });
    LatchHooks.await(latch, awaitSite);
    join(worker);
  }

  private static void meet(CyclicBarrier barrier, int site, AtomicInteger broken)
      throws InterruptedException {
    try {
      LatchHooks.await(barrier, site);
    } catch (BrokenBarrierException e) {
      broken.incrementAndGet();
    }
  }

  /**
   * A thread that awaits {@code tick} briefly (no tick yet), then is away waiting on {@code back};
   * returned once it is away.
   */
  private static Thread pollThenWait(String name, Event tick, int awaitSite, CountDownLatch back)
      throws InterruptedException {
    CountDownLatch polled = new CountDownLatch(1);
    Thread thread = start(name, () -> {
      LatchHooks.callSite(awaitSite);
      tick.await(1, TimeUnit.MILLISECONDS);
      polled.countDown();
      back.await();
    });
    polled.await();
    awaitBlocked(thread);
    return thread;
  }

  private static ReentrantLock internalLock(Event event) throws ReflectiveOperationException {
    Field field = Event.class.getDeclaredField("lock");
    field.setAccessible(true);
    return (ReentrantLock) field.get(event);
  }

  /** Everything but the message and the waiters' stacks, which each test checks itself. */
  private static void assertFinding(Violation violation, Severity severity, String tag,
      LockRef latch, List<String> sites, List<String> threads) {
    List<String> idParts = new java.util.ArrayList<>(sites);
    idParts.add(tag);
    assertThat(violation.id()).isEqualTo(Findings.stableId(Kind.REUSED_LATCH, idParts));
    assertThat(violation.kind()).isEqualTo(Kind.REUSED_LATCH);
    assertThat(violation.severity()).isEqualTo(severity);
    assertThat(violation.locks()).containsExactly(latch);
    assertThat(violation.sites()).containsExactlyElementsOf(sites);
    assertThat(violation.threads()).containsExactlyElementsOf(threads);
    assertThat(violation.edges()).isEmpty();
  }

  /** The waiters are exactly {@code threads}, in order, each on {@code latch} with a stack. */
  private static void assertWaiters(Violation violation, String latch, String... threads) {
    assertThat(violation.waiters()).extracting(WaiterRef::thread).containsExactly(threads);
    assertThat(violation.waiters()).allSatisfy(waiter -> {
      assertThat(waiter.latch()).isEqualTo(latch);
      assertThat(waiter.stack()).last().asString().contains("java.lang.Thread.run");
      assertThat(waiter.stack()).anySatisfy(frame -> assertThat(frame)
          .startsWith("dev.lockguard.internal.latch.LatchDetectorTests."));
    });
  }
}
