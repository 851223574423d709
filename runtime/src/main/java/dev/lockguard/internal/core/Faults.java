package dev.lockguard.internal.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Internal failures of lockguard itself: the application carries on, and the failure is said once.
 *
 * <p>Test-only switch: {@code -Dlockguard.test.failHooks=N} makes the first {@code N} acquisition
 * hooks throw inside lockguard, so that end-to-end tests can prove a failing hook never reaches the
 * application. It is read once, when the first hook runs; without it the check is a constant
 * {@code false} that the JIT folds away.
 */
public final class Faults {
  private static final AtomicBoolean HOOK_FAILED = new AtomicBoolean();
  private static final AtomicInteger FAILURES_TO_INJECT =
      new AtomicInteger(Integer.getInteger("lockguard.test.failHooks", 0));
  private static final boolean INJECTING = FAILURES_TO_INJECT.get() > 0;

  private Faults() {}

  /** A hook threw: detection may be incomplete from here on, so say so once, on stderr. */
  public static void hookFailed(Throwable failure) {
    if (HOOK_FAILED.compareAndSet(false, true)) {
      System.err.println("lockguard: internal error in a hook; the application continues, "
          + "but lock-order detection may be incomplete: " + failure);
    }
  }

  /** Throws while {@code lockguard.test.failHooks} has failures left; else does nothing. */
  public static void injectFailure() {
    // get() first: once spent, the counter stays near zero instead of counting down forever.
    if (INJECTING && FAILURES_TO_INJECT.get() > 0 && FAILURES_TO_INJECT.getAndDecrement() > 0) {
      throw new IllegalStateException("failure injected by -Dlockguard.test.failHooks");
    }
  }
}
