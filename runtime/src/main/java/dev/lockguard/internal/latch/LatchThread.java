package dev.lockguard.internal.latch;

import dev.lockguard.internal.core.PerThread;

import dev.lockguard.internal.core.Sites;

/**
 * The latch detector's per-thread state: the call site an instrumented caller announced, and the
 * run of waits on an already open latch at one site that spin detection counts.
 */
final class LatchThread {
  /** Each thread's latch state, hung on its {@link PerThread}. */
  static final PerThread.Slot<LatchThread> SLOT = PerThread.newSlot(thread -> new LatchThread());

  /** The step being run and its latch kind, handed through the guard to the step. */
  Object step;
  LatchKind kind;
  /** The record the step found, returned to the hook after the guard. */
  LatchRecord result;

  /** The site of the event call being made, announced by instrumented code; 0 if none. */
  int pendingSite;

  LatchRecord spinRecord;
  int spinSite;
  /** Whether this thread once blocked on {@link #spinRecord} at {@link #spinSite}. */
  boolean spinBlocked;
  int spinPasses;

  static LatchThread current() {
    return PerThread.current().get(SLOT);
  }

  /** The announced site, cleared so that it is used once. */
  int takeSite() {
    int site = pendingSite;
    pendingSite = Sites.UNKNOWN;
    return site;
  }

  /**
   * Counts one wait at {@code site}; returns true on the wait that makes the run long enough to
   * report: the thread once blocked here, then passed straight through {@code threshold} times.
   */
  boolean countsSpin(LatchRecord record, int site, boolean open, int threshold) {
    if (spinRecord != record || spinSite != site) {
      spinRecord = record;
      spinSite = site;
      spinBlocked = false;
      spinPasses = 0;
    }
    if (!open) {
      spinBlocked = true;
      spinPasses = 0;
      return false;
    }
    return spinBlocked && ++spinPasses == threshold;
  }
}
