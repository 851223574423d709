package dev.lockguard.agent.latch;

import dev.lockguard.Event;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/** The latch sites the latch rewriters rewrite, a shape a method, for the rewriter tests. */
final class LatchSites {
  static CyclicBarrier round = new CyclicBarrier(1);

  private CountDownLatch done = new CountDownLatch(1);
  private final Event ready = new Event();
  private final Gate gate = new Gate();

  /** A timed await whose unit is a local: the latch keeps its field's name. */
  boolean awaitDone(long millis) throws InterruptedException {
    TimeUnit unit = TimeUnit.MILLISECONDS;
    return done.await(millis, unit);
  }

  void finish() {
    done.countDown();
  }

  /** A latch replaced in its field: the old one is told about the new one. */
  void rearm() {
    done = new CountDownLatch(1);
  }

  /** A barrier of one party: the await returns at once. */
  static int nextRound() throws Exception {
    return round.await();
  }

  /** An event announces its call site, then reports the call itself. */
  boolean signal() {
    ready.set();
    return ready.isSet();
  }

  /** A {@code latches=} class's set is announced like an event's. */
  boolean openGate() throws InterruptedException {
    gate.open();
    return gate.pass(1);
  }
}
