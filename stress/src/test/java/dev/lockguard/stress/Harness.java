package dev.lockguard.stress;

import dev.lockguard.LockGuard;
import dev.lockguard.report.Violation;
import dev.lockguard.internal.lockorder.Hooks;
import dev.lockguard.internal.core.Sites;
import dev.lockguard.internal.TestSupport;

/**
 * Drives the runtime the way instrumented code does, and routes each finding to the jcstress state
 * whose actor found it.
 *
 * <p>Monitors are entered through the hooks only, never for real: two actors can then "hold" the
 * same locks in opposite orders at the same moment without deadlocking, which is exactly the race
 * the lock-order graph must survive. Findings are reported synchronously in the thread that makes
 * the closing acquisition, so a thread-local names the state they belong to.
 */
final class Harness {
  private static final ThreadLocal<Observed> CURRENT = new ThreadLocal<>();

  static {
    TestSupport.quiet(); // millions of iterations: keep findings off stderr
    LockGuard.addListener(Harness::route);
  }

  private Harness() {}

  /** Loads this class (and so installs the listener) before any actor runs. */
  static void init() {}

  /** {@code synchronized (monitor) {} } as instrumented bytecode announces it, without the monitor. */
  static void enter(Object monitor) {
    Hooks.monitorEnter(monitor, Sites.UNKNOWN);
  }

  static void exit(Object monitor) {
    Hooks.monitorExit(monitor);
  }

  /** {@code synchronized (outer) { synchronized (inner) {} } }, announced through the hooks. */
  static void nested(Object outer, Object inner) {
    enter(outer);
    enter(inner);
    exit(inner);
    exit(outer);
  }

  /** Findings reported by this thread until {@link #detach()} go to {@code state}. */
  static void attach(Observed state) {
    CURRENT.set(state);
  }

  static void detach() {
    CURRENT.remove();
  }

  private static void route(Violation violation) {
    Observed state = CURRENT.get();
    if (state != null) {
      state.record(violation);
    }
  }
}
