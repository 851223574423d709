package dev.lockguard.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.lockguard.Event;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * A waiter already inside {@code await()} when the event is set and at once cleared again still
 * returns: {@code set()} bumps a generation the waiter compares, so the {@code clear()} racing its
 * wake-up cannot strand it.
 *
 * <p>The setter waits (bounded) until {@code waiters()} reports the waiter, which it can only read
 * once the waiter released the event's lock inside the condition wait. Result: the waiter's
 * outcome (1 returned, 0 its bounded wait ran out), whether the setter saw the waiter (1, or 0 when
 * its own bound ran out), then, once both are done, {@code waiters()} and {@code isSet()} (0/1).
 */
@JCStressTest
@Description("Event.set() then clear() wakes a thread already waiting, and leaves the event"
    + " closed with no waiter counted.")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE,
    desc = "The waiter returned; the event is closed again and counts no waiter.")
@Outcome(id = "0, 1, .*", expect = FORBIDDEN,
    desc = "The clear() stranded a waiter that the set() should have woken.")
@Outcome(expect = FORBIDDEN, desc = "The waiter count or the final state is wrong.")
@State
public class EventSetClearWakesWaiter {
  final Event event = new Event();

  @Actor
  public void setter(IIII_Result r) {
    r.r2 = Waits.untilWaiting(event) ? 1 : 0;
    event.set();
    event.clear();
  }

  @Actor
  public void waiter(IIII_Result r) {
    r.r1 = Waits.await(event) ? 1 : 0;
  }

  @Arbiter
  public void arbiter(IIII_Result r) {
    r.r3 = event.waiters();
    r.r4 = event.isSet() ? 1 : 0;
  }
}
