package dev.lockguard.stress;

import dev.lockguard.report.Violation;
import java.util.concurrent.atomic.AtomicInteger;

/** A jcstress state that counts the findings its actors caused. */
abstract class Observed {
  private final AtomicInteger findings = new AtomicInteger();
  private final AtomicInteger malformed = new AtomicInteger();

  Observed() {
    Harness.init();
  }

  final void record(Violation violation) {
    findings.incrementAndGet();
    if (!wellFormed(violation)) {
      malformed.incrementAndGet();
    }
  }

  /** Whether {@code violation} is the finding this state expects (kind, severity, shape). */
  abstract boolean wellFormed(Violation violation);

  /** A cycle of {@code locks} locks whose edges two threads took: an ERROR. */
  static boolean crossThreadCycle(Violation violation, int locks) {
    return violation.kind() == Violation.Kind.POTENTIAL_DEADLOCK
        && violation.severity() == Violation.Severity.ERROR
        && violation.locks().size() == locks
        && violation.edges().size() == locks
        && violation.threads().size() == 2;
  }

  final int findings() {
    return findings.get();
  }

  final int malformed() {
    return malformed.get();
  }
}
