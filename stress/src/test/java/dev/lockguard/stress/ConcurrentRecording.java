package dev.lockguard.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.lockguard.report.Violation;
import dev.lockguard.internal.core.Findings;
import dev.lockguard.internal.TestSupport;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two threads record findings at the same moment: one each of their own, and one with the same id
 * (the same bug found twice). Ids are unique per iteration; the arbiter counts each in the
 * recorded list, then drops them so that the list stays short.
 *
 * <p>Result: copies of the first thread's finding, of the second's, of the shared one, and the
 * number of listener calls (one per report, the shared one included twice).
 */
@JCStressTest
@Description("Concurrent reports: no finding lost, none recorded twice, every report passed to"
    + " the listeners.")
@Outcome(id = "1, 1, 1, 4", expect = ACCEPTABLE, desc = "Each finding recorded exactly once.")
@Outcome(id = {"0, .*", ".*, 0, .*", ".*, .*, 0, .*"}, expect = FORBIDDEN,
    desc = "A finding was lost.")
@Outcome(expect = FORBIDDEN, desc = "A finding was recorded twice, or a listener call was lost.")
@State
public class ConcurrentRecording extends Observed {
  private static final AtomicLong ITERATION = new AtomicLong();

  final String prefix = "stress-" + ITERATION.incrementAndGet();
  final Violation first = finding(prefix + "-first");
  final Violation second = finding(prefix + "-second");
  final Violation shared = finding(prefix + "-shared");

  @Actor
  public void firstThread() {
    Harness.attach(this);
    Findings.report(first);
    Findings.report(shared);
    Harness.detach();
  }

  @Actor
  public void secondThread() {
    Harness.attach(this);
    Findings.report(shared);
    Findings.report(second);
    Harness.detach();
  }

  @Arbiter
  public void arbiter(IIII_Result r) {
    r.r1 = TestSupport.recordedCount(first.id());
    r.r2 = TestSupport.recordedCount(second.id());
    r.r3 = TestSupport.recordedCount(shared.id());
    r.r4 = findings();
    TestSupport.forget(first.id());
    TestSupport.forget(second.id());
    TestSupport.forget(shared.id());
  }

  @Override
  boolean wellFormed(Violation violation) {
    return violation.id().startsWith(prefix);
  }

  private static Violation finding(String id) {
    return new Violation(id, Violation.Kind.POTENTIAL_DEADLOCK, Violation.Severity.WARNING,
        "stress finding " + id, List.of(), List.of(), List.of(), List.of());
  }
}
