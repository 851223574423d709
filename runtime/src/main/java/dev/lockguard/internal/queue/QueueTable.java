package dev.lockguard.internal.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;

/**
 * An identity map from queue to {@link QueueState}, holding the queues weakly.
 *
 * <p>{@link #find} is lock-free and allocation-free: it probes a volatile open-addressing array by
 * {@link System#identityHashCode}, never the queue's own {@code hashCode}. Adding a queue and
 * resizing run under a private monitor; states of collected queues are dropped at the next
 * insertion, so short-lived queues do not pile up.
 */
final class QueueTable {
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(QueueState[].class);
  private static final Object INSERTION = new Object();
  private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();
  private static volatile QueueState[] slots = new QueueState[64];
  /** Occupied slots, collected ones included until they are dropped; guarded by INSERTION. */
  private static int occupied;

  private QueueTable() {}

  /** The state of {@code queue}, made on its first touch. */
  static QueueState stateOf(Object queue) {
    int hash = System.identityHashCode(queue);
    QueueState state = find(queue, hash);
    return state != null ? state : insert(queue, hash);
  }

  /** The state of {@code queue}, or null when no flagged site touched it yet. */
  static QueueState find(Object queue, int hash) {
    QueueState[] table = slots;
    int mask = table.length - 1;
    int index = mix(hash) & mask;
    while (true) {
      QueueState state = (QueueState) SLOTS.getAcquire(table, index);
      if (state == null) {
        return null;
      }
      if (state.hash == hash && state.get() == queue) {
        return state;
      }
      index = (index + 1) & mask;
    }
  }

  private static QueueState insert(Object queue, int hash) {
    synchronized (INSERTION) {
      QueueState existing = find(queue, hash);
      if (existing != null) {
        return existing;
      }
      if (COLLECTED.poll() != null) {
        drainCollected();
        rebuild();
      }
      if ((occupied + 1) * 2 > slots.length) {
        rebuild();
      }
      QueueState state = new QueueState(queue, hash, COLLECTED);
      QueueState[] table = slots;
      int mask = table.length - 1;
      int index = mix(hash) & mask;
      while (table[index] != null) {
        index = (index + 1) & mask;
      }
      SLOTS.setRelease(table, index, state);
      occupied++;
      return state;
    }
  }

  /** Forgets every queue (unit tests only). */
  static void reset() {
    synchronized (INSERTION) {
      slots = new QueueState[64];
      occupied = 0;
    }
  }

  /** Live states, for tests of the table itself. */
  static int size() {
    synchronized (INSERTION) {
      int live = 0;
      for (QueueState state : slots) {
        if (state != null && state.get() != null) {
          live++;
        }
      }
      return live;
    }
  }

  /** Slots in the table, for tests of its growth. */
  static int capacity() {
    return slots.length;
  }

  private static void drainCollected() {
    Reference<?> reference;
    do {
      reference = COLLECTED.poll();
    } while (reference != null);
  }

  /** Copies the live states into a fresh array, a quarter full: collected ones are left behind. */
  private static void rebuild() {
    int live = 0;
    for (QueueState state : slots) {
      if (state != null && state.get() != null) {
        live++;
      }
    }
    int capacity = 64;
    while (capacity < (live + 1) * 4) {
      capacity <<= 1;
    }
    QueueState[] fresh = new QueueState[capacity];
    int mask = capacity - 1;
    for (QueueState state : slots) {
      if (state != null && state.get() != null) {
        int index = mix(state.hash) & mask;
        while (fresh[index] != null) {
          index = (index + 1) & mask;
        }
        fresh[index] = state;
      }
    }
    occupied = live;
    slots = fresh;
  }

  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
