package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.PerThread;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * What the queue check knows of one queue: who touched it, which locks every touch held, and how
 * often flagged acts changed it. The state is its own weak reference to the queue.
 *
 * <p>A touch is the execution of a flagged check or act site. The lockset is Eraser's: the locks
 * held at every touch so far; it only shrinks, by copy-on-write under this object's monitor, so
 * readers scan a volatile array without locking. Counters are bumped atomically after a flagged
 * act changed the queue; a thread compares them with what it read at its check to see another
 * thread change the queue in between.
 */
final class QueueState extends WeakReference<Object> {
  private static final VarHandle ADDS;
  private static final VarHandle REMOVES;
  private static final Object[] NO_LOCKS = new Object[0];
  /** Pairs remembered while exempt, reported if the queue later turns shared and unguarded. */
  private static final int PENDING = 4;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ADDS = lookup.findVarHandle(QueueState.class, "adds", long.class);
      REMOVES = lookup.findVarHandle(QueueState.class, "removes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final int hash;
  final String type;
  final long ownerId;
  final String ownerName;

  /** Set once a second thread touched the queue. */
  volatile boolean shared;
  volatile String otherName;
  /** Weak references to the lock keys held at every touch. */
  volatile Object[] locks;

  volatile long adds;
  volatile long removes;
  volatile long lastAdderId;
  volatile String lastAdder;
  volatile long lastRemoverId;
  volatile String lastRemover;

  // Guarded by this.
  private int[] pendingChecks;
  private int[] pendingActs;
  private String[] pendingThreads;
  volatile int pendingCount;

  QueueState(Object queue, int hash, PerThread ts, ReferenceQueue<Object> collected) {
    super(queue, collected);
    this.hash = hash;
    this.type = queue.getClass().getName();
    this.ownerId = ts.threadId;
    this.ownerName = ts.thread.getName();
    this.locks = heldLocks(ts);
  }

  private static Object[] heldLocks(PerThread ts) {
    if (ts.lockset.size() == 0) {
      return NO_LOCKS;
    }
    Object[] held = new Object[ts.lockset.size()];
    for (int i = 0; i < ts.lockset.size(); i++) {
      held[i] = new WeakReference<>(ts.lockset.key(i));
    }
    return held;
  }

  /** Whether some lock was held at every touch so far. */
  boolean guarded() {
    return locks.length > 0;
  }

  /** Records that {@code ts} touched the queue: the sharing, and the locks it holds now. */
  void touch(PerThread ts) {
    if (!shared && ts.threadId != ownerId) {
      synchronized (this) {
        if (!shared) {
          otherName = ts.thread.getName();
          shared = true;
        }
      }
    }
    Object[] current = locks;
    for (Object lock : current) {
      if (!isHeld(ts, lock)) {
        narrowLocks(ts);
        return;
      }
    }
  }

  /** The name of a thread other than {@code ts} that touched the queue, or null. */
  String otherThan(PerThread ts) {
    return ts.threadId == ownerId ? otherName : ownerName;
  }

  private synchronized void narrowLocks(PerThread ts) {
    Object[] current = locks;
    int kept = 0;
    Object[] narrowed = new Object[current.length];
    for (Object lock : current) {
      if (isHeld(ts, lock)) {
        narrowed[kept++] = lock;
      }
    }
    locks = kept == 0 ? NO_LOCKS : Arrays.copyOf(narrowed, kept);
  }

  private static boolean isHeld(PerThread ts, Object weakLock) {
    Object key = ((WeakReference<?>) weakLock).get();
    return key != null && ts.lockset.holds(key);
  }

  // ---- what flagged acts changed ---------------------------------------------------------------

  void added(PerThread ts) {
    ADDS.getAndAdd(this, 1L);
    lastAdderId = ts.threadId;
    lastAdder = ts.thread.getName();
  }

  void removed(PerThread ts) {
    REMOVES.getAndAdd(this, 1L);
    lastRemoverId = ts.threadId;
    lastRemover = ts.thread.getName();
  }

  // ---- pairs seen while exempt -----------------------------------------------------------------

  /**
   * Remembers a pair that ran exempt (one thread, or under a common lock), a few per queue. Only
   * the first run of a pair on a queue takes the monitor; later runs find it without locking.
   */
  void remember(int checkSite, int actSite, String thread) {
    int count = pendingCount; // read first: publishes the arrays written before it
    if (count == PENDING || count > 0 && isRemembered(count, checkSite, actSite)) {
      return;
    }
    rememberLocked(checkSite, actSite, thread);
  }

  private boolean isRemembered(int count, int checkSite, int actSite) {
    for (int i = 0; i < count; i++) {
      if (pendingChecks[i] == checkSite && pendingActs[i] == actSite) {
        return true;
      }
    }
    return false;
  }

  private synchronized void rememberLocked(int checkSite, int actSite, String thread) {
    if (pendingChecks == null) {
      pendingChecks = new int[PENDING];
      pendingActs = new int[PENDING];
      pendingThreads = new String[PENDING];
    }
    int count = pendingCount;
    if (count < PENDING && !isRemembered(count, checkSite, actSite)) {
      pendingChecks[count] = checkSite;
      pendingActs[count] = actSite;
      pendingThreads[count] = thread;
      pendingCount = count + 1;
    }
  }

  /** A pair that ran exempt, in thread {@code thread}. */
  record Remembered(int checkSite, int actSite, String thread) {}

  /** Takes the remembered pairs out; null when there are none. */
  synchronized Remembered[] drainRemembered() {
    int count = pendingCount;
    if (count == 0) {
      return null;
    }
    Remembered[] drained = new Remembered[count];
    for (int i = 0; i < count; i++) {
      drained[i] = new Remembered(pendingChecks[i], pendingActs[i], pendingThreads[i]);
    }
    pendingCount = 0;
    return drained;
  }
}
