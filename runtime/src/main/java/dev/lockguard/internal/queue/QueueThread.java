package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.PerThread;

/**
 * The queue checks one thread made last: which site, on which queue, what the check returned, and
 * what the queue's change counters read then. Made on the thread's first flagged check, then
 * reused.
 *
 * <p>A small ring: a check overwrites its own site's entry, or the oldest one. Eight entries cover
 * the checks that can be pending in one method (and a few callers); the act that a check decides
 * follows it in the same method, so an entry that was overwritten only loses a finding, never
 * makes a wrong one.
 */
final class QueueThread {
  /** Each thread's ring, hung on its {@link PerThread}. */
  static final PerThread.Slot<QueueThread> SLOT = PerThread.newSlot(thread -> new QueueThread());

  private static final int SIZE = 8;

  private final int[] sites = new int[SIZE];
  private final QueueState[] states = new QueueState[SIZE];
  private final long[] adds = new long[SIZE];
  private final long[] removes = new long[SIZE];
  private final int[] seen = new int[SIZE];
  private int next;

  /** Records a check at {@code site} on {@code state}'s queue, which returned {@code result}. */
  void checked(int site, QueueState state, int result) {
    int index = indexOf(site);
    if (index < 0) {
      index = next;
      next = (next + 1) & (SIZE - 1);
    }
    sites[index] = site;
    states[index] = state;
    adds[index] = state.adds;
    removes[index] = state.removes;
    seen[index] = result;
  }

  /** What check {@code index} returned: its count, or 1 for an empty queue and 0 otherwise. */
  int seen(int index) {
    return seen[index];
  }

  /** The entry of the last check at {@code site} if it was on {@code state}'s queue, else -1. */
  int find(int site, QueueState state) {
    int index = indexOf(site);
    return index >= 0 && states[index] == state ? index : -1;
  }

  /** Whether another thread removed from the queue since check {@code index}. */
  boolean removedSince(int index) {
    return states[index].removes != removes[index];
  }

  /** Whether another thread added to the queue since check {@code index}. */
  boolean addedSince(int index) {
    return states[index].adds != adds[index];
  }

  /** This thread changed the queue itself: its own change is no race against its own checks. */
  void ownChange(QueueState state, boolean added) {
    for (int i = 0; i < SIZE; i++) {
      if (states[i] == state) {
        if (added) {
          adds[i]++;
        } else {
          removes[i]++;
        }
      }
    }
  }

  private int indexOf(int site) {
    for (int i = 0; i < SIZE; i++) {
      if (sites[i] == site) {
        return i;
      }
    }
    return -1;
  }
}
