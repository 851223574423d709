package dev.lockguard.demo.actors;

import dev.lockguard.demo.Demo;
import dev.lockguard.demo.Demo.Variant;
import dev.lockguard.demo.Tally;
import dev.lockguard.demo.Workers;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Actors (recipe 7): {@value #CLIENTS} client threads send numbers to a {@link WorkerActor}, which
 * squares them and returns each square through its own {@link Result}; the clients add the
 * squares up in an {@link Accumulator}, a tagged-message actor. Both actors read a mailbox, stop
 * on a close sentinel and signal their end through a termination event.
 *
 * <p>{@code silent}: the only variant, and it must stay silent. It is full of patterns a careless
 * detector would flag: events awaited at one site in a loop (one fresh {@code Result} per job),
 * mailboxes taken from by a thread that never checks their size, a started and a terminated event
 * per actor. Every event in it is set once and never cleared, and no queue size is trusted, so the
 * agent reports nothing.
 */
public final class Actors {
  static final int CLIENTS = 2;
  static final int JOBS_PER_CLIENT = 25;
  private static final long RESULT_TIMEOUT_MS = 2_000;
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(Actors.class);

  private final WorkerActor worker = new WorkerActor("worker");
  private final Accumulator accumulator = new Accumulator("accumulator");
  private final Tally tally = new Tally();

  private Actors() {}

  /** The demo as {@code Main} lists and runs it. */
  public static Demo demo() {
    return new Demo("actors", "a worker actor returning results through single-use events", List.of(
        new Variant("silent", "mailboxes, sentinels and one event per result: silent",
            () -> new Actors().run())));
  }

  private void run() throws Exception {
    worker.start();
    accumulator.start();
    try {
      Workers clients = new Workers();
      for (int i = 1; i <= CLIENTS; i++) {
        int client = i;
        clients.start("client-" + i, () -> squareAndAdd(client));
      }
      clients.finish(DEADLINE);
      checkTotal();
    } finally {
      worker.close();
      accumulator.close();
      joinOrWarn(worker, "worker");
      joinOrWarn(accumulator, "accumulator");
    }
  }

  /** Client {@code client} squares the numbers {@code client*100+1 .. client*100+JOBS}. */
  private void squareAndAdd(int client) throws Exception {
    for (long n = client * 100L + 1; n <= client * 100L + JOBS_PER_CLIENT; n++) {
      Result<Long> square = worker.submit(x -> x * x, n);
      accumulator.send("add", square.get(RESULT_TIMEOUT_MS));
      tally.increment("results");
    }
  }

  private void checkTotal() throws Exception {
    Result<Long> total = new Result<>();
    accumulator.send("total", total);
    long actual = total.get(RESULT_TIMEOUT_MS);
    long expected = 0;
    for (int client = 1; client <= CLIENTS; client++) {
      for (long n = client * 100L + 1; n <= client * 100L + JOBS_PER_CLIENT; n++) {
        expected += n * n;
      }
    }
    if (actual != expected) {
      throw new IllegalStateException("the accumulator's total is " + actual + ", not " + expected);
    }
    LOG.info("{}; sum of squares {} as expected", tally, actual);
  }

  private static void joinOrWarn(Actor actor, String name) throws InterruptedException {
    if (!actor.join(RESULT_TIMEOUT_MS)) {
      LOG.warn("{} did not end within {} ms of its close", name, RESULT_TIMEOUT_MS);
    }
  }
}
