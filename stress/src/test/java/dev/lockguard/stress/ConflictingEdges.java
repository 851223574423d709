package dev.lockguard.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.lockguard.report.Violation;
import dev.lockguard.internal.TestSupport;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code A -> B} in one thread and {@code B -> A} in another, at the same moment.
 *
 * <p>Result: findings, malformed findings, edges in the graph ({@code A -> B} = 1,
 * {@code B -> A} = 2).
 */
@JCStressTest
@Description("Two threads insert A -> B and B -> A at once: the graph lock serialises the two"
    + " insertions, so the later one always sees the earlier and the cycle is reported exactly"
    + " once (Guava issue 2048 lost it).")
@Outcome(id = "1, 0, 3", expect = ACCEPTABLE,
    desc = "Both edges stored, the cycle reported once as a cross-thread ERROR.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The cycle was lost.")
@Outcome(expect = FORBIDDEN, desc = "Reported twice, malformed, or an edge missing.")
@State
public class ConflictingEdges extends Observed {
  final Object a = new Object();
  final Object b = new Object();

  @Actor
  public void aThenB() {
    Harness.attach(this);
    Harness.nested(a, b);
    Harness.detach();
  }

  @Actor
  public void bThenA() {
    Harness.attach(this);
    Harness.nested(b, a);
    Harness.detach();
  }

  @Arbiter
  public void arbiter(III_Result r) {
    r.r1 = findings();
    r.r2 = malformed();
    r.r3 = (TestSupport.hasEdge(a, b) ? 1 : 0) | (TestSupport.hasEdge(b, a) ? 2 : 0);
  }

  @Override
  boolean wellFormed(Violation violation) {
    return crossThreadCycle(violation, 2);
  }
}
