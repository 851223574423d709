package dev.lockguard.demo.producerconsumer;

import dev.lockguard.Event;
import dev.lockguard.demo.Demo;
import dev.lockguard.demo.Demo.Variant;
import dev.lockguard.demo.Tally;
import dev.lockguard.demo.Workers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Producer and consumers communicating through a bounded queue (recipe 3): one producer puts
 * {@value #ITEMS} numbered items, {@value #CONSUMERS} consumers take them.
 *
 * <p>{@code unsafe}: each consumer asks {@code queue.isEmpty()} and, when the queue is not
 * empty, calls {@code queue.take()}. Between the two calls another consumer may take the last
 * item, and then {@code take()} blocks for ever. The agent reports {@code UNSAFE_QUEUE_CHECK}
 * ({@code ERROR}: the act can block for ever) naming the check and the act sites. The run shows
 * the bug too: each consumer prepares a little between its check and its take, as real consumers
 * do, and at the end one or two of them are usually stuck in {@code take()} on an empty queue.
 * The demo still ends: half a second after the last item is consumed it interrupts them, and the
 * log names them.
 *
 * <p>{@code sentinel}: consumers only {@code take()}, and the producer ends the stream with a
 * sentinel; a consumer that takes it puts it back for the next consumer and stops. Silent.
 *
 * <p>{@code acknowledged}: each item travels with its own single-use {@link Event}; the consumer
 * sets it when the item is processed, and the producer waits for it (with a timeout) before it
 * sends the next. Silent: every event is set once and never cleared.
 */
public final class ProducerConsumer {
  static final int ITEMS = 200;
  static final int CONSUMERS = 3;
  private static final Duration DEADLINE = Duration.ofSeconds(3);
  /** How long consumers get to stop once every item is consumed. */
  private static final Duration GRACE = Duration.ofMillis(500);
  private static final long ACK_TIMEOUT_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(ProducerConsumer.class);

  /** An item of work; the queue carries the sentinel by identity. */
  record Item(int number) {}

  /** An item with the event its consumer sets once it is processed. */
  record Job(Item item, Event processed) {}

  private static final Item STOP = new Item(-1);
  private static final Job STOP_JOB = new Job(STOP, new Event());

  private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>(16);
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>(16);
  private final Tally tally = new Tally();

  private ProducerConsumer() {}

  /** The demo as {@code Main} lists and runs it. */
  public static Demo demo() {
    return new Demo("producer-consumer", "one producer, three consumers, one bounded queue", List.of(
        new Variant("unsafe", "isEmpty() then take(): UNSAFE_QUEUE_CHECK",
            () -> new ProducerConsumer().runUnsafe()),
        new Variant("sentinel", "take() only, a sentinel put back for the next consumer: silent",
            () -> new ProducerConsumer().runWithSentinel()),
        new Variant("acknowledged", "each item with its own single-use Event: silent",
            () -> new ProducerConsumer().runAcknowledged())));
  }

  // ---- unsafe ---------------------------------------------------------------------------------

  private void runUnsafe() throws Exception {
    Workers workers = new Workers();
    workers.start("producer", this::produce);
    startConsumers(workers, this::consumeAfterCheckingEmptiness);
    tally.awaitAtLeast("consumed", ITEMS, DEADLINE);
    List<String> stuck = workers.finish(GRACE);
    LOG.info("consumed: {}", tally);
    for (String consumer : stuck) {
      LOG.warn("{} was stuck in take() after isEmpty() said there was an item; interrupted it",
          consumer);
    }
  }

  private void produce() throws InterruptedException {
    for (int i = 1; i <= ITEMS; i++) {
      queue.put(new Item(i));
    }
  }

  private void consumeAfterCheckingEmptiness() throws InterruptedException {
    while (tally.get("consumed") < ITEMS) {
      if (!queue.isEmpty()) { // @check-empty
        prepareForAnItem(); // the window in which another consumer may take the last item
        consume(queue.take()); // @take-after-check
      } else {
        TimeUnit.MILLISECONDS.sleep(1);
      }
    }
  }

  /** Work a consumer does between its check and its take, as real consumers do. */
  private static void prepareForAnItem() throws InterruptedException {
    TimeUnit.MICROSECONDS.sleep(200);
  }

  // ---- sentinel -------------------------------------------------------------------------------

  private void runWithSentinel() throws Exception {
    Workers workers = new Workers();
    workers.start("producer", () -> {
      produce();
      queue.put(STOP);
    });
    startConsumers(workers, this::consumeUntilSentinel);
    workers.finish(DEADLINE);
    LOG.info("consumed: {}", tally);
  }

  private void consumeUntilSentinel() throws InterruptedException {
    for (Item item = queue.take(); item != STOP; item = queue.take()) {
      consume(item);
    }
    queue.put(STOP); // for the next consumer
  }

  // ---- acknowledged ---------------------------------------------------------------------------

  private void runAcknowledged() throws Exception {
    Workers workers = new Workers();
    workers.start("producer", this::produceAndAwaitEachAcknowledgement);
    startConsumers(workers, this::consumeAndAcknowledge);
    workers.finish(DEADLINE);
    LOG.info("consumed: {}", tally);
  }

  private void produceAndAwaitEachAcknowledgement() throws InterruptedException {
    for (int i = 1; i <= ITEMS; i++) {
      Job job = new Job(new Item(i), new Event());
      jobs.put(job);
      if (!job.processed().await(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("item " + i + " was not acknowledged within "
            + ACK_TIMEOUT_MS + " ms");
      }
      tally.increment("acknowledged");
    }
    jobs.put(STOP_JOB);
  }

  private void consumeAndAcknowledge() throws InterruptedException {
    for (Job job = jobs.take(); job != STOP_JOB; job = jobs.take()) {
      consume(job.item());
      job.processed().set();
    }
    jobs.put(STOP_JOB); // for the next consumer
  }

  // ---- shared ---------------------------------------------------------------------------------

  private static void startConsumers(Workers workers, Demo.Body body) {
    for (int i = 1; i <= CONSUMERS; i++) {
      workers.start("consumer-" + i, body);
    }
  }

  private void consume(Item item) {
    tally.increment("consumed");
    tally.add("sum", item.number());
    tally.increment(Thread.currentThread().getName());
  }
}
