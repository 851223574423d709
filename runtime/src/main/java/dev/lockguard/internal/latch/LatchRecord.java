package dev.lockguard.internal.latch;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * What the latch detector knows about one latch instance, which it holds weakly.
 *
 * <p>Every field is read and written under {@link LatchTable#LOCK}. The waiting threads are kept
 * in parallel arrays that grow only when more threads wait at once than ever before, so that a
 * wait allocates nothing once the latch is known.
 */
final class LatchRecord extends WeakReference<Object> {
  final int hash;
  final LatchKind kind;
  /** The latch's class name. */
  final String type;
  /** The next record in the same hash bucket of {@link LatchTable}. */
  LatchRecord next;

  /** {@code Owner.field} the latch was last stored in, or null. */
  String field;

  Thread[] waiting = new Thread[2];
  int[] waitingDepth = new int[2];
  /** Per waiter: the phase or event generation it started waiting in. */
  long[] waitingMark = new long[2];
  int waitingCount;

  /** Threads that awaited or signalled the latch, each once. */
  final ArrayList<LatchUser> users = new ArrayList<>(2);

  /** Events: open now (set and not cleared since), and how many times it opened. */
  boolean open;
  long generation;

  /** Set when the latch was replaced in its field while threads still waited on it. */
  boolean replaced;
  int replaceSite;
  String replacer;
  boolean lostReported;
  /** The latch this one replaced while threads waited on it, or null. */
  LatchRecord predecessor;

  /** Sites that signalled the latch while it was closed: the side that opens it. */
  private int[] openingSites = new int[2];
  private int openingSiteCount;
  /**
   * The last thread that came back to an await site where it had blocked on this latch and passed
   * it open, and that site; null once an event is cleared ({@link GateRounds}).
   */
  String returnedThread;
  int returnedSite;

  LatchRecord(Object latch, int hash, LatchKind kind, ReferenceQueue<Object> queue) {
    super(latch, queue);
    this.hash = hash;
    this.kind = kind;
    this.type = latch.getClass().getName();
  }

  /** Adds one wait by {@code thread}; a nested wait (an await calling an await) only counts. */
  boolean addWaiter(Thread thread, long mark) {
    int index = waiterIndex(thread);
    if (index >= 0) {
      waitingDepth[index]++;
      return false;
    }
    if (waitingCount == waiting.length) {
      int length = waiting.length * 2;
      waiting = Arrays.copyOf(waiting, length);
      waitingDepth = Arrays.copyOf(waitingDepth, length);
      waitingMark = Arrays.copyOf(waitingMark, length);
    }
    waiting[waitingCount] = thread;
    waitingDepth[waitingCount] = 1;
    waitingMark[waitingCount] = mark;
    waitingCount++;
    return true;
  }

  /** Ends one wait by {@code thread}; returns true when it no longer waits at all. */
  boolean removeWaiter(Thread thread) {
    int index = waiterIndex(thread);
    if (index < 0) {
      return false;
    }
    if (--waitingDepth[index] > 0) {
      return false;
    }
    int last = --waitingCount;
    waiting[index] = waiting[last];
    waitingDepth[index] = waitingDepth[last];
    waitingMark[index] = waitingMark[last];
    waiting[last] = null;
    return true;
  }

  /** Remembers that {@code site} signalled the latch while it was closed. */
  void addOpeningSite(int site) {
    if (isOpeningSite(site)) {
      return;
    }
    if (openingSiteCount == openingSites.length) {
      openingSites = Arrays.copyOf(openingSites, openingSiteCount * 2);
    }
    openingSites[openingSiteCount++] = site;
  }

  /** Whether {@code site} once signalled the latch while it was closed. */
  boolean isOpeningSite(int site) {
    for (int i = 0; i < openingSiteCount; i++) {
      if (openingSites[i] == site) {
        return true;
      }
    }
    return false;
  }

  boolean isWaiting(Thread thread) {
    return waiterIndex(thread) >= 0;
  }

  private int waiterIndex(Thread thread) {
    for (int i = 0; i < waitingCount; i++) {
      if (waiting[i] == thread) {
        return i;
      }
    }
    return -1;
  }

  /** Whether some thread waits on {@code latch} that nothing will wake as things stand. */
  boolean hasUnreleasedWaiter(Object latch) {
    for (int i = 0; i < waitingCount; i++) {
      if (!kind.released(latch, waitingMark[i], generation)) {
        return true;
      }
    }
    return false;
  }

  /** The threads waiting now, in the order they began. */
  ArrayList<Thread> waiters() {
    ArrayList<Thread> threads = new ArrayList<>(waitingCount);
    for (int i = 0; i < waitingCount; i++) {
      threads.add(waiting[i]);
    }
    return threads;
  }

  /**
   * The entry of {@code thread} among the users, made on its first use of the latch. Entries of
   * collected threads are dropped on the way, so a long-lived latch used by many short-lived
   * threads keeps a list as long as its live users.
   */
  LatchUser user(Thread thread) {
    for (int i = users.size() - 1; i >= 0; i--) {
      LatchUser user = users.get(i);
      Thread t = user.thread.get();
      if (t == thread) {
        return user;
      }
      if (t == null) {
        users.set(i, users.get(users.size() - 1));
        users.remove(users.size() - 1);
      }
    }
    LatchUser user = new LatchUser(thread);
    users.add(user);
    return user;
  }

  /** A thread that used the latch, held weakly. */
  static final class LatchUser {
    final WeakReference<Thread> thread;
    /** {@code Owner.field} the thread last read the latch from at an instrumented call, or null. */
    String field;
    boolean awaited;
    /** Events: the generation the thread saw when it last awaited. */
    long seen;
    /** The site where the thread last began to wait while the latch was closed; 0 if none. */
    int blockedSite;

    LatchUser(Thread thread) {
      this.thread = new WeakReference<>(thread);
    }

    /** The thread if it is still alive and is not {@code other}. */
    Thread aliveOther(Thread other) {
      Thread t = thread.get();
      return t != null && t != other && t.isAlive() ? t : null;
    }
  }
}
