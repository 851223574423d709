package dev.lockguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** {@link Event} as a plain library, without the agent. Every wait in here is bounded. */
class EventTests {
  private static final long BOUND_MILLIS = 10_000;

  @Test
  void waiterIsWokenBySetAndSeesWhatTheSetterDidBefore() throws Exception {
    Event event = new Event();
    int[] payload = new int[1];
    AtomicReference<Integer> seen = new AtomicReference<>();
    Thread waiter = start("waiter", () -> {
      event.await();
      seen.set(payload[0]); // plain read: visible only through the happens-before of set/await
    });
    awaitWaiters(event, 1);

    payload[0] = 42;
    event.set();

    join(waiter);
    assertThat(seen.get()).isEqualTo(42);
    assertThat(event.isSet()).isTrue();
    assertThat(event.waiters()).isZero();
  }

  @Test
  void timedAwaitReturnsFalseWhenNobodySets() throws Exception {
    Event event = new Event();

    assertThat(event.await(20, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(event.await(0, TimeUnit.NANOSECONDS)).isFalse();
    assertThat(event.isSet()).isFalse();
    assertThat(event.waiters()).isZero();
  }

  @Test
  void timedAwaitReturnsTrueAtOnceOnAnOpenEvent() throws Exception {
    Event event = new Event();
    event.set();

    assertThat(event.await(0, TimeUnit.NANOSECONDS)).isTrue();
    event.await(); // returns at once
    assertThat(event.waiters()).isZero();
  }

  @Test
  void interruptedWaiterGetsInterruptedExceptionAndLeavesTheEventAsItWas() throws Exception {
    Event event = new Event();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread waiter = start("waiter", () -> {
      try {
        event.await();
      } catch (InterruptedException e) {
        thrown.set(e);
      }
    });
    awaitWaiters(event, 1);

    waiter.interrupt();

    join(waiter);
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(event.waiters()).isZero();
    assertThat(event.isSet()).isFalse();
  }

  @Test
  void alreadyInterruptedThreadDoesNotWaitOnAClosedEvent() {
    Event event = new Event();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> event.await(1, TimeUnit.MINUTES))
          .isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
    assertThat(event.waiters()).isZero();
  }

  @Test
  void oneSetReleasesManyWaiters() throws Exception {
    Event event = new Event();
    AtomicInteger released = new AtomicInteger();
    List<Thread> waiters = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      waiters.add(start("waiter-" + i, () -> {
        event.await();
        released.incrementAndGet();
      }));
    }
    awaitWaiters(event, 8);

    event.set();

    for (Thread waiter : waiters) {
      join(waiter);
    }
    assertThat(released.get()).isEqualTo(8);
    assertThat(event.waiters()).isZero();
  }

  @Test
  void clearReArmsTheEvent() throws Exception {
    Event event = new Event();
    event.set();
    event.clear();

    assertThat(event.isSet()).isFalse();
    assertThat(event.await(10, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void waiterWokenByASetThatWasClearedBeforeItRanStillReturns() throws Exception {
    Event event = new Event();
    Thread waiter = start("waiter", event::await);
    awaitWaiters(event, 1);
    ReentrantLock internal = internalLock(event);

    internal.lock(); // the waiter cannot return until both set and clear have run
    try {
      event.set();
      event.clear();
    } finally {
      internal.unlock();
    }

    join(waiter);
    assertThat(event.isSet()).isFalse();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Code that may throw, run in a thread. */
  interface Body {
    void run() throws Exception;
  }

  private static Thread start(String name, Body body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void awaitWaiters(Event event, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
    while (event.waiters() != count) {
      assertThat(System.nanoTime() - deadline).as("%d waiters within the bound", count).isNegative();
      Thread.sleep(1);
    }
  }

  private static void join(Thread thread) throws InterruptedException {
    thread.join(BOUND_MILLIS);
    assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
  }

  private static ReentrantLock internalLock(Event event) throws ReflectiveOperationException {
    Field field = Event.class.getDeclaredField("lock");
    field.setAccessible(true);
    return (ReentrantLock) field.get(event);
  }
}
