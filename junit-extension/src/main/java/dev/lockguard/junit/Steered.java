package dev.lockguard.junit;

import dev.lockguard.internal.lockorder.Steering;
import dev.lockguard.report.Violation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Confirms a test's predicted deadlocks by running the test again with the schedule steered
 * ({@code @LockGuard(confirm = true)} or {@code lockguard.confirm=true}).
 *
 * <p>After the test ran, each {@code POTENTIAL_DEADLOCK} it found that would fail it is armed in
 * the runtime's {@link Steering}, and the test method is called again on the same instance with
 * the same arguments (its {@code @BeforeEach} and {@code @AfterEach} methods are not run again),
 * at most {@code attempts} times, until steering brings the cycle's threads together. A confirmed
 * finding comes back through the runtime's listener, marked {@code CONFIRMED}; one that no
 * attempt reproduced is marked {@code NOT_REPRODUCED}. What a steered run throws is not the
 * test's result: the steered runs only decide the confirmation. Each runs under the deadlock
 * timeout like the test itself.
 */
final class Steered {
  private Steered() {}

  /** Steers the test's unconfirmed lock-order cycles that fail it; returns when all are decided. */
  static void confirm(ReflectiveInvocationContext<Method> call, TestScope scope, Rules rules,
      Settings settings, Duration deadlockTimeout) {
    List<Violation> open = new ArrayList<>();
    for (Violation violation : scope.violations()) {
      if (violation.kind() == Violation.Kind.POTENTIAL_DEADLOCK
          && violation.confirmation() == null && Verdict.failsOn(rules, violation)
          && Verdict.allowedBy(rules, violation) == null) {
        open.add(violation);
      }
    }
    Map<String, Integer> reached = new HashMap<>();
    for (int attempt = 1; attempt <= settings.attempts() && !open.isEmpty(); attempt++) {
      Steering.arm(open, settings.hold().toMillis(), attempt);
      try {
        DeadlockWatch.proceed(again(call), scope, deadlockTimeout);
      } catch (Throwable steeredRunFailed) {
        // a steered run may fail where the test did not: the stopped thread's exception
      } finally {
        for (Steering.Result result : Steering.disarm()) {
          String id = result.finding().id();
          reached.merge(id, result.edgesReached(), Math::max);
          if (result.confirmed()) {
            open.removeIf(violation -> violation.id().equals(id));
          }
        }
      }
    }
    for (Violation violation : open) {
      Steering.notReproduced(violation, settings.attempts(), reached.getOrDefault(violation.id(), 0));
    }
  }

  /** The test method called again on its instance, with its arguments. */
  private static Invocation<Void> again(ReflectiveInvocationContext<Method> call) {
    return () -> {
      ReflectionSupport.invokeMethod(call.getExecutable(), call.getTarget().orElse(null),
          call.getArguments().toArray());
      return null;
    };
  }

  /** Whether to confirm, how many steered runs at most, and how long to hold a thread back. */
  record Settings(boolean enabled, int attempts, Duration hold) {}
}
