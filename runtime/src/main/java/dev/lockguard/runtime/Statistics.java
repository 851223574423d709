package dev.lockguard.runtime;

import dev.lockguard.report.Report;
import java.util.concurrent.atomic.LongAdder;

/** Counters for the report; the acquisition counter is striped so that hot paths do not contend. */
final class Statistics {
  static final LongAdder ACQUISITIONS = new LongAdder();

  private Statistics() {}

  static Report.Stats snapshot() {
    return new Report.Stats(LockGraph.locksSeen(), LockGraph.edgeCount(), ACQUISITIONS.sum(),
        LatchTable.seen());
  }
}
