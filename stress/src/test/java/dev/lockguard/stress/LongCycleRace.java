package dev.lockguard.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.lockguard.report.Violation;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A three-lock cycle whose last edge can come from either thread: {@code A -> B} in one,
 * {@code B -> C} then {@code C -> A} in the other. Result: findings, malformed findings.
 */
@JCStressTest
@Description("A three-lock cycle closed by whichever thread inserts last is found by that"
    + " thread's search and reported exactly once, with all three edges.")
@Outcome(id = "1, 0", expect = ACCEPTABLE,
    desc = "The cycle A -> B -> C -> A reported once, as a cross-thread ERROR.")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "The cycle was lost.")
@Outcome(expect = FORBIDDEN, desc = "Reported twice, or malformed.")
@State
public class LongCycleRace extends Observed {
  final Object a = new Object();
  final Object b = new Object();
  final Object c = new Object();

  @Actor
  public void aThenB() {
    Harness.attach(this);
    Harness.nested(a, b);
    Harness.detach();
  }

  @Actor
  public void bThenCThenA() {
    Harness.attach(this);
    Harness.nested(b, c);
    Harness.nested(c, a);
    Harness.detach();
  }

  @Arbiter
  public void arbiter(II_Result r) {
    r.r1 = findings();
    r.r2 = malformed();
  }

  @Override
  boolean wellFormed(Violation violation) {
    return crossThreadCycle(violation, 3);
  }
}
