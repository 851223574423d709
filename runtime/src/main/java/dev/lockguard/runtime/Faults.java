package dev.lockguard.runtime;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Internal failures of lockguard itself: the application carries on, and the failure is said once.
 */
final class Faults {
  private static final AtomicBoolean HOOK_FAILED = new AtomicBoolean();

  private Faults() {}

  /** A hook threw: detection may be incomplete from here on, so say so once, on stderr. */
  static void hookFailed(Throwable failure) {
    if (HOOK_FAILED.compareAndSet(false, true)) {
      System.err.println("lockguard: internal error in a hook; the application continues, "
          + "but lock-order detection may be incomplete: " + failure);
    }
  }
}
