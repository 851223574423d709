package dev.lockguard.internal.latch;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;

/**
 * An identity map from latch to {@link LatchRecord}, holding latches weakly.
 *
 * <p>Chained buckets keyed by {@link System#identityHashCode}; every access runs under {@link
 * #LOCK}, a private monitor no application code can reach. Latch operations block by nature, so
 * a short critical section here costs little next to them. Records of collected latches are
 * unlinked when the next record is made.
 */
final class LatchTable {
  static final Object LOCK = new Object();

  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
  private static LatchRecord[] buckets = new LatchRecord[64];
  private static int size;
  private static long seen;

  private LatchTable() {}

  /** The record of {@code latch}, or null if the detector never saw it. Caller holds LOCK. */
  static LatchRecord find(Object latch) {
    int hash = System.identityHashCode(latch);
    for (LatchRecord r = buckets[index(hash, buckets.length)]; r != null; r = r.next) {
      if (r.hash == hash && r.get() == latch) {
        return r;
      }
    }
    return null;
  }

  /** The record of {@code latch}, made on first sight. Caller holds LOCK. */
  static LatchRecord recordOf(Object latch, LatchKind kind) {
    LatchRecord found = find(latch);
    if (found != null) {
      return found;
    }
    expungeCollected();
    if (size * 2 > buckets.length) {
      resize();
    }
    int hash = System.identityHashCode(latch);
    LatchRecord record = new LatchRecord(latch, hash, kind, QUEUE);
    int index = index(hash, buckets.length);
    record.next = buckets[index];
    buckets[index] = record;
    size++;
    seen++;
    return record;
  }

  /** Forgets every latch (unit tests only). */
  static void reset() {
    synchronized (LOCK) {
      buckets = new LatchRecord[64];
      size = 0;
      seen = 0;
    }
  }

  /** How many latches the detector has tracked since start. */
  static long seen() {
    synchronized (LOCK) {
      return seen;
    }
  }

  private static void expungeCollected() {
    for (Reference<?> ref = QUEUE.poll(); ref != null; ref = QUEUE.poll()) {
      unlink((LatchRecord) ref);
    }
  }

  private static void unlink(LatchRecord dead) {
    int index = index(dead.hash, buckets.length);
    LatchRecord previous = null;
    for (LatchRecord r = buckets[index]; r != null; previous = r, r = r.next) {
      if (r == dead) {
        if (previous == null) {
          buckets[index] = r.next;
        } else {
          previous.next = r.next;
        }
        size--;
        return;
      }
    }
  }

  private static void resize() {
    LatchRecord[] old = buckets;
    LatchRecord[] grown = new LatchRecord[old.length * 2];
    for (LatchRecord head : old) {
      LatchRecord r = head;
      while (r != null) {
        LatchRecord following = r.next;
        int index = index(r.hash, grown.length);
        r.next = grown[index];
        grown[index] = r;
        r = following;
      }
    }
    buckets = grown;
  }

  private static int index(int hash, int length) {
    return (hash ^ (hash >>> 16)) & (length - 1);
  }
}
