package dev.lockguard.demo.pubsub;

/** Anything that can take a message from an {@link Exchange}. */
interface Subscriber {
  void send(Object message) throws InterruptedException;
}
