package dev.lockguard.demo.pubsub;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The recipe's diagnostic subscriber: it shows the traffic (every {@value #EVERY}th message). */
final class DisplayMessages implements Subscriber {
  static final int EVERY = 50;
  private static final Logger LOG = LoggerFactory.getLogger(DisplayMessages.class);

  private final AtomicLong seen = new AtomicLong();

  @Override
  public void send(Object message) {
    if (seen.incrementAndGet() % EVERY == 0) {
      LOG.info("message #{}: {}", seen.get(), message);
    }
  }
}
