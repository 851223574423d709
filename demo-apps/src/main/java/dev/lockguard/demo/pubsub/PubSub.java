package dev.lockguard.demo.pubsub;

import dev.lockguard.demo.Demo;
import dev.lockguard.demo.Demo.Variant;
import dev.lockguard.demo.Tally;
import dev.lockguard.demo.Workers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publish/subscribe (recipe 8): {@value #PUBLISHERS} publisher threads send
 * {@value #MESSAGES} messages each to the exchange named {@code news}, which broadcasts them to two
 * counting actors and a diagnostic subscriber. A late subscriber attaches half-way through and
 * detaches again through a subscription closed by try-with-resources.
 *
 * <p>{@code silent}: the only variant, and it must stay silent. The exchange guards its subscriber
 * set with its monitor but delivers outside it, so no lock is ever held while another is taken;
 * the half-way latch is counted down and awaited once.
 */
public final class PubSub {
  static final int PUBLISHERS = 2;
  static final int MESSAGES = 100;
  private static final long WAIT_MS = 2_000;
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(PubSub.class);

  private final Tally tally = new Tally();
  private final CountDownLatch halfWay = new CountDownLatch(PUBLISHERS);

  private PubSub() {}

  /** The demo as {@code Main} lists and runs it. */
  public static Demo demo() {
    return new Demo("pubsub", "an exchange broadcasting to subscribers that attach and detach",
        List.of(new Variant("silent", "attach, detach and broadcast: silent", () -> new PubSub().run())));
  }

  @SuppressWarnings("try") // a subscription is only closed, never read: it is a context manager
  private void run() throws Exception {
    Exchange news = Exchanges.get("news");
    CountingTask first = new CountingTask("subscriber-1", tally);
    CountingTask second = new CountingTask("subscriber-2", tally);
    CountingTask late = new CountingTask("late-subscriber", tally);
    first.start();
    second.start();
    late.start();
    try (Exchange.Subscription always = news.subscribe(first, second, new DisplayMessages())) {
      Workers publishers = new Workers();
      for (int i = 1; i <= PUBLISHERS; i++) {
        int publisher = i;
        publishers.start("publisher-" + i, () -> publish(publisher));
      }
      attachWhilePublishing(news, late);
      publishers.finish(DEADLINE);
    } finally {
      for (CountingTask task : List.of(first, second, late)) {
        task.close();
        task.join(WAIT_MS);
      }
    }
    LOG.info("{} messages published; received: {}", PUBLISHERS * MESSAGES, tally);
  }

  private void publish(int publisher) throws InterruptedException {
    Exchange news = Exchanges.get("news");
    for (int n = 1; n <= MESSAGES; n++) {
      news.send("publisher-" + publisher + " message " + n);
      if (n == MESSAGES / 2) {
        halfWay.countDown();
      }
      TimeUnit.MICROSECONDS.sleep(200);
    }
  }

  /** The late subscriber listens from half-way until the publishers are nearly done. */
  @SuppressWarnings("try") // a subscription is only closed, never read: it is a context manager
  private void attachWhilePublishing(Exchange news, CountingTask late) throws InterruptedException {
    if (!halfWay.await(WAIT_MS, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the publishers did not get half-way within " + WAIT_MS + " ms");
    }
    try (Exchange.Subscription whileItLasts = news.subscribe(late)) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }
}
