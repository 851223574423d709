package dev.lockguard.demo.philosophers;

import dev.lockguard.LockOrder;
import dev.lockguard.OrderedLocks;
import dev.lockguard.demo.Demo;
import dev.lockguard.demo.Demo.Variant;
import dev.lockguard.demo.Tally;
import dev.lockguard.demo.Workers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dining philosophers (recipe 2): five philosophers round a table, a chopstick between each
 * two, and each philosopher needs its left and its right chopstick to eat.
 *
 * <p>The chopsticks are {@link ReentrantLock}s named {@code chopstick-1} to {@code chopstick-5}
 * with {@link LockOrder#name} (so reports say {@code chopstick-3}, not {@code ReentrantLock@1b6d})
 * and ranked 1 to 5 with {@link LockOrder#rank}. Philosopher {@code i} sits between chopstick
 * {@code i} (left) and chopstick {@code i+1} (right); philosopher 5's right chopstick is
 * chopstick 1.
 *
 * <p>{@code naive}: each philosopher takes its left chopstick, then its right one. The agent
 * reports one {@code POTENTIAL_DEADLOCK} ({@code ERROR}, five threads) whose cycle is
 * {@code chopstick-1 -> chopstick-2 -> chopstick-3 -> chopstick-4 -> chopstick-5 -> chopstick-1}
 * as soon as every philosopher has eaten once, whether or not the five ever held their left
 * chopsticks at the same moment. Under {@code order=ascending,policy=throw} philosopher 5, holding
 * chopstick-5 (rank 5), gets a {@code LockOrderViolationException} when it reaches for chopstick-1
 * (rank 1), before it can block, and the demo ends with that exception (exit code 1): the
 * would-be deadlock becomes an error that names both chopsticks.
 *
 * <p>The naive philosopher waits for its right chopstick with a timed {@code tryLock}: when all
 * five hold their left chopstick at once they really are deadlocked, and only the timeout ends it
 * (the philosopher puts its left chopstick down and tries again later). That keeps the demo from
 * hanging without the agent; the agent checks a timed {@code tryLock} like {@code lock()}, since
 * it can block. When the agent's deadlock watchdog happens to look during such a moment, it also
 * reports the real {@code DEADLOCK} of the five philosophers.
 *
 * <p>{@code ordered}: each philosopher takes both chopsticks through
 * {@link OrderedLocks#acquire}, the recipe's {@code acquire(*locks)}, which sorts them by rank:
 * philosopher 5 takes chopstick-1 before chopstick-5, the cycle cannot form, and the agent is
 * silent.
 */
public final class Philosophers {
  static final int SEATS = 5;
  static final int MEALS = 20;
  /** How long a naive philosopher waits for its right chopstick before it gives up this try. */
  private static final long PATIENCE_MS = 50;
  /** Bounds a naive philosopher's tries, so even a table that always deadlocks ends. */
  private static final int MAX_TRIES = 200;
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(Philosophers.class);

  private final ReentrantLock[] chopsticks = new ReentrantLock[SEATS];
  private final Tally tally = new Tally();

  private Philosophers() {
    for (int i = 0; i < SEATS; i++) {
      chopsticks[i] = LockOrder.name(LockOrder.rank(new ReentrantLock(), i + 1), "chopstick-" + (i + 1));
    }
  }

  /** The demo as {@code Main} lists and runs it. */
  public static Demo demo() {
    return new Demo("philosophers", "five philosophers share five chopsticks (locks)", List.of(
        new Variant("naive", "each takes left, then right: POTENTIAL_DEADLOCK over all five chopsticks",
            () -> new Philosophers().dine(false)),
        new Variant("ordered", "both chopsticks through OrderedLocks.acquire: silent",
            () -> new Philosophers().dine(true))));
  }

  private void dine(boolean ordered) throws Exception {
    Workers table = new Workers();
    for (int seat = 1; seat <= SEATS; seat++) {
      int philosopher = seat;
      table.start("philosopher-" + seat, ordered ? () -> dineInOrder(philosopher) : () -> dineNaively(philosopher));
    }
    List<String> stuck = table.awaitOrInterrupt(DEADLINE);
    LOG.info("meals: {}", tally);
    if (!stuck.isEmpty()) {
      LOG.warn("still at the table at the deadline, interrupted: {}", stuck);
    }
    table.rethrowFirstFailure();
  }

  private ReentrantLock left(int seat) {
    return chopsticks[seat - 1];
  }

  private ReentrantLock right(int seat) {
    return chopsticks[seat % SEATS];
  }

  private void dineNaively(int seat) throws InterruptedException {
    int meals = 0;
    for (int tries = 0; meals < MEALS && tries < MAX_TRIES; tries++) {
      think();
      if (eatLeftThenRight(left(seat), right(seat))) {
        meals++;
      } else {
        tally.increment("gave-up-waiting");
      }
    }
    tally.add("philosopher-" + seat, meals);
  }

  /** Left, then right: the naive habit. Returns false if the right chopstick stayed taken. */
  private static boolean eatLeftThenRight(ReentrantLock left, ReentrantLock right)
      throws InterruptedException {
    left.lock(); // @take-left
    try {
      if (!right.tryLock(PATIENCE_MS, TimeUnit.MILLISECONDS)) { // @take-right
        return false; // every philosopher may hold its left chopstick: a real deadlock, timed out
      }
      try {
        eat();
        return true;
      } finally {
        right.unlock();
      }
    } finally {
      left.unlock();
    }
  }

  @SuppressWarnings("try") // the held chopsticks are only released, never read
  private void dineInOrder(int seat) throws InterruptedException {
    for (int meal = 0; meal < MEALS; meal++) {
      think();
      try (OrderedLocks.Held both = OrderedLocks.acquire(left(seat), right(seat))) {
        eat();
      }
    }
    tally.add("philosopher-" + seat, MEALS);
  }

  private static void think() throws InterruptedException {
    TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(1_000));
  }

  private static void eat() throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(1);
  }
}
