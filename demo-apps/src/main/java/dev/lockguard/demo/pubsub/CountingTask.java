package dev.lockguard.demo.pubsub;

import dev.lockguard.demo.Tally;
import dev.lockguard.demo.actors.Actor;

/** A subscriber that is an actor: it counts the messages it receives, in the shared tally. */
final class CountingTask extends Actor implements Subscriber {
  private final String name;
  private final Tally tally;

  CountingTask(String name, Tally tally) {
    super(name);
    this.name = name;
    this.tally = tally;
  }

  @Override
  protected void run() throws InterruptedException, ActorExit {
    while (true) {
      recv();
      tally.increment(name);
    }
  }
}
