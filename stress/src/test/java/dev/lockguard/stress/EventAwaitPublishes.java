package dev.lockguard.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.lockguard.Event;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * {@code await()} returns once another thread sets the event, whether it arrives before or after
 * the {@code set()}, and then sees what was written before it. Result: what the waiter saw, or -1
 * when its bounded wait ran out.
 */
@JCStressTest
@Description("Event.await() never misses a set(), and set() happens-before the await() it ends.")
@Outcome(id = "1", expect = ACCEPTABLE, desc = "Woken or let through, and saw the write.")
@Outcome(id = "0", expect = FORBIDDEN, desc = "Returned but did not see the write before set().")
@Outcome(id = "-1", expect = FORBIDDEN, desc = "Missed the set() and waited out its bound.")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class EventAwaitPublishes {
  final Event event = new Event();
  int payload;

  @Actor
  public void writer() {
    payload = 1;
    event.set();
  }

  @Actor
  public void waiter(I_Result r) {
    r.r1 = Waits.await(event) ? payload : -1;
  }
}
