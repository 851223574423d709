package dev.lockguard.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.lockguard.report.Violation;
import dev.lockguard.internal.lockorder.Hooks;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.internal.TestSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two threads re-enter and release out of order the same three locks, really taking them (in one
 * global order, so they contend but never deadlock), while both grow the shared graph.
 *
 * <p>Each actor writes its held-lock checkpoints as decimal digits (a re-entry count or a depth
 * per step). The arbiter writes the edges in the graph ({@code a -> b} = 1, {@code b -> c} = 2,
 * {@code a -> c} = 4, any edge back = 8) and the number of findings. After {@code a} is released
 * out of order, {@code c} is taken under {@code b} only: an {@code a -> c} edge means a stack kept
 * a released lock.
 */
@JCStressTest
@Description("Held-lock stacks stay exact under re-entry and out-of-order release while another"
    + " thread takes the same locks and grows the same graph.")
@Outcome(id = "121100, 12100, 3, 0", expect = ACCEPTABLE,
    desc = "Every checkpoint exact; edges a -> b and b -> c only; nothing reported.")
@Outcome(expect = FORBIDDEN, desc = "A stack lost or kept a lock, or the graph got a wrong edge.")
@State
public class ReentryAndOutOfOrderRelease extends Observed {
  final ReentrantLock a = new ReentrantLock();
  final ReentrantLock b = new ReentrantLock();
  final ReentrantLock c = new ReentrantLock();

  /** a, a, b; release a twice (b stays); c under b; release b before c. */
  @Actor
  public void reenterOuter(IIII_Result r) {
    Harness.attach(this);
    int digits = 0;
    lock(a);
    lock(a);
    lock(b);
    unlock(a);
    digits = digit(digits, TestSupport.holdCount(a)); // 1
    digits = digit(digits, TestSupport.heldLocks()); // 2
    unlock(a);
    digits = digit(digits, TestSupport.heldLocks()); // 1: b
    lock(c);
    unlock(b);
    digits = digit(digits, TestSupport.heldLocks()); // 1: c
    digits = digit(digits, TestSupport.holdCount(b)); // 0
    unlock(c);
    digits = digit(digits, TestSupport.heldLocks()); // 0
    r.r1 = digits;
    Harness.detach();
  }

  /** a, b, b; release b once and then a (b stays once); c under b; release c before b. */
  @Actor
  public void reenterInner(IIII_Result r) {
    Harness.attach(this);
    int digits = 0;
    lock(a);
    lock(b);
    lock(b);
    unlock(b);
    digits = digit(digits, TestSupport.holdCount(b)); // 1
    digits = digit(digits, TestSupport.heldLocks()); // 2
    unlock(a);
    digits = digit(digits, TestSupport.heldLocks()); // 1: b
    digits = digit(digits, TestSupport.holdCount(a)); // 0
    lock(c);
    unlock(c);
    unlock(b);
    digits = digit(digits, TestSupport.heldLocks()); // 0
    r.r2 = digits;
    Harness.detach();
  }

  @Arbiter
  public void arbiter(IIII_Result r) {
    r.r3 = (TestSupport.hasEdge(a, b) ? 1 : 0)
        | (TestSupport.hasEdge(b, c) ? 2 : 0)
        | (TestSupport.hasEdge(a, c) ? 4 : 0)
        | (TestSupport.hasEdge(b, a) || TestSupport.hasEdge(c, b) || TestSupport.hasEdge(c, a)
            ? 8 : 0);
    r.r4 = findings();
  }

  @Override
  boolean wellFormed(Violation violation) {
    return false; // nothing may be reported
  }

  private static void lock(ReentrantLock lock) {
    Hooks.lock(lock, Sites.UNKNOWN);
  }

  private static void unlock(ReentrantLock lock) {
    Hooks.unlock(lock, Sites.UNKNOWN);
  }

  private static int digit(int digits, int value) {
    return digits * 10 + value;
  }
}
