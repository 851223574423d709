package dev.lockguard.demo.pubsub;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An exchange (recipe 8): a set of subscribers and a {@link #send} that broadcasts to all of them.
 *
 * <p>The set is guarded by the exchange's monitor, but {@link #send} delivers outside it, to a
 * copy: a subscriber that takes its own locks, or attaches and detaches while handling a message,
 * can then never close a lock-order cycle with the exchange.
 */
final class Exchange {
  private final Set<Subscriber> subscribers = new LinkedHashSet<>();

  synchronized void attach(Subscriber subscriber) {
    subscribers.add(subscriber);
  }

  synchronized void detach(Subscriber subscriber) {
    subscribers.remove(subscriber);
  }

  /** Attaches every one of {@code tasks}; closing the returned subscription detaches them. */
  Subscription subscribe(Subscriber... tasks) {
    for (Subscriber task : tasks) {
      attach(task);
    }
    return () -> {
      for (Subscriber task : tasks) {
        detach(task);
      }
    };
  }

  /** Sends {@code message} to every subscriber attached now. */
  void send(Object message) throws InterruptedException {
    for (Subscriber subscriber : snapshot()) {
      subscriber.send(message);
    }
  }

  private synchronized List<Subscriber> snapshot() {
    return new ArrayList<>(subscribers);
  }

  /** The recipe's {@code subscribe(*tasks)} context manager: closing it detaches the tasks. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
