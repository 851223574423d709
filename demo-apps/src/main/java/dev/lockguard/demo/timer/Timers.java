package dev.lockguard.demo.timer;

import dev.lockguard.demo.Demo;
import dev.lockguard.demo.Demo.Variant;
import dev.lockguard.demo.Tally;
import dev.lockguard.demo.Workers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic timer and two threads waiting for its ticks (recipe 4): a {@code timer} thread ticks
 * {@value #TICKS} times, every {@value #INTERVAL_MS} ms; each waiter counts the ticks it sees and
 * does a few milliseconds of work after each.
 *
 * <p>{@code event}: {@link EventTimer} signals with one {@code Event} that it sets and clears
 * again every tick. A waiter busy with its work while the timer sets and clears the event misses
 * that tick, and the log shows it seeing fewer ticks than were sent. The agent reports
 * {@code REUSED_LATCH} on the event, named by its field {@code EventTimer.tick}, at the line that
 * clears it, once for each way the re-arm goes wrong in the run: an {@code ERROR} when the clear
 * comes while waiters woken by the set have not yet returned (the report lists them with their
 * stacks), an {@code ERROR} when a waiter that awaited the event before was busy and missed the
 * set, and a {@code WARNING} for re-arming a set event at all.
 *
 * <p>{@code condition}: {@link ConditionTimer} bumps a tick counter under a lock and signals a
 * {@code Condition}; each waiter waits until the counter moves past the value it saw, so it counts
 * every tick, even those that came while it was busy. Silent.
 */
public final class Timers {
  static final int TICKS = 40;
  static final long INTERVAL_MS = 5;
  private static final int WAITERS = 2;
  private static final long WAIT_MS = 100;
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(Timers.class);

  private final PeriodicTimer timer;
  private final Tally tally = new Tally();

  private Timers(PeriodicTimer timer) {
    this.timer = timer;
  }

  /** The demo as {@code Main} lists and runs it. */
  public static Demo demo() {
    return new Demo("timer", "a periodic timer and two threads waiting for its ticks", List.of(
        new Variant("event", "one Event cleared and set again every tick: REUSED_LATCH",
            run(EventTimer::new)),
        new Variant("condition", "a Condition and a tick counter: silent", run(ConditionTimer::new))));
  }

  private static Demo.Body run(Supplier<PeriodicTimer> timer) {
    return () -> new Timers(timer.get()).tickAndWait();
  }

  private void tickAndWait() throws Exception {
    Workers threads = new Workers();
    for (int i = 1; i <= WAITERS; i++) {
      threads.start("waiter-" + i, this::countTicks);
    }
    threads.start("timer", this::tickPeriodically);
    threads.finish(DEADLINE);
    LOG.info("{} ticks sent; ticks seen: {}", TICKS, tally);
  }

  private void tickPeriodically() throws InterruptedException {
    try {
      for (int n = 0; n < TICKS; n++) {
        TimeUnit.MILLISECONDS.sleep(INTERVAL_MS);
        timer.tick();
      }
      TimeUnit.MILLISECONDS.sleep(INTERVAL_MS); // time for the waiters to count the last tick
    } finally {
      timer.stop();
    }
  }

  private void countTicks() throws InterruptedException {
    long seen = 0;
    while (true) {
      long now = timer.awaitTick(seen, WAIT_MS);
      if (now == seen) {
        break; // stopped, or no tick for WAIT_MS: the timer is done
      }
      seen = now;
      TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextInt(1, 2 * (int) INTERVAL_MS));
    }
    tally.add(Thread.currentThread().getName(), seen);
  }
}
