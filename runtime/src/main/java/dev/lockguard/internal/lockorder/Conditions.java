package dev.lockguard.internal.lockorder;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * Which lock each {@link Condition} belongs to, so that {@code await} can release it in the
 * thread's held locks while it waits.
 *
 * <p>Filled by the {@code newCondition} hook, which is not a hot path. Only the JDK's own
 * condition classes are kept: their {@code hashCode} is identity, so the weak map never calls
 * application code.
 */
final class Conditions {
  private static final Map<Condition, Lock> OWNERS = Collections.synchronizedMap(new WeakHashMap<>());

  private Conditions() {}

  static void register(Condition condition, Lock lock) {
    if (condition != null && condition.getClass().getName().startsWith("java.util.concurrent.")) {
      OWNERS.put(condition, lock);
    }
  }

  /** The lock of {@code condition}, or null if it was created where lockguard did not look. */
  static Lock ownerOf(Condition condition) {
    if (condition == null || !condition.getClass().getName().startsWith("java.util.concurrent.")) {
      return null;
    }
    return OWNERS.get(condition);
  }
}
