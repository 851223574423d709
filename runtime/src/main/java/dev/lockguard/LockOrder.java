package dev.lockguard;

import dev.lockguard.internal.lockorder.Ranks;

/**
 * Gives locks an explicit rank and a name for reports.
 *
 * <p>Under {@code order=ascending}, and for {@link OrderedLocks}, a thread may only take a lock
 * ranked above every lock it holds. A lock without an explicit rank is ranked by the order in
 * which lockguard first saw it. Works with and without the agent.
 */
public final class LockOrder {
  private LockOrder() {}

  /** Sets the rank of {@code lock} (a monitor object or a {@code Lock}); returns the lock. */
  public static <T> T rank(T lock, int rank) {
    Ranks.setRank(lock, rank);
    return lock;
  }

  /** Names {@code lock} in reports (instead of its field or {@code Type@hash}); returns it. */
  public static <T> T name(T lock, String name) {
    Ranks.setName(lock, name);
    return lock;
  }

  /** The rank lockguard uses for {@code lock}: explicit, or its first-seen order. */
  public static long rankOf(Object lock) {
    return Ranks.rankOf(lock);
  }
}
