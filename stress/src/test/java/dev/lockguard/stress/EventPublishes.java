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
 * What a thread wrote before {@code set()} is seen by a thread that finds the event open through
 * the lock-free {@code isSet()}. The payload field is plain on purpose. Result: what the reader
 * saw, or -1 when the event was still closed.
 */
@JCStressTest
@Description("Event.set() happens-before the isSet() that sees it.")
@Outcome(id = "1", expect = ACCEPTABLE, desc = "Saw the event open, and the write before set().")
@Outcome(id = "-1", expect = ACCEPTABLE, desc = "Looked before set().")
@Outcome(id = "0", expect = FORBIDDEN, desc = "Saw the event open but not the write before set().")
@Outcome(expect = FORBIDDEN, desc = "Anything else.")
@State
public class EventPublishes {
  final Event event = new Event();
  int payload;

  @Actor
  public void writer() {
    payload = 1;
    event.set();
  }

  @Actor
  public void reader(I_Result r) {
    r.r1 = event.isSet() ? payload : -1;
  }
}
