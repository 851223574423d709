package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.PerThread;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * What the queue check knows of one queue, side by side: which threads touched each side and which
 * locks every touch of it held; how often flagged acts changed the queue; and its capacity. The
 * state is its own weak reference to the queue.
 *
 * <p>A touch is the execution of a flagged check or act site. Each site is on a side: consumer
 * when its act takes elements out (or the acts its check decides do), producer when it puts them
 * in. A thread's check goes stale in the direction that hurts only through another thread's act
 * of the same kind (another consumer empties the queue, another producer fills it), so a side is
 * exposed once two threads touched it and no lock was held at every one of its touches. The
 * lockset is Eraser's, kept per side: it only shrinks, by copy-on-write under this object's
 * monitor, so readers scan a volatile array without locking. Counters are bumped atomically after
 * a flagged act changed the queue; a thread compares them with what it read at its check to see
 * another thread change the queue in between.
 */
final class QueueState extends WeakReference<Object> {
  private static final VarHandle ADDS;
  private static final VarHandle REMOVES;
  private static final Object[] NO_LOCKS = new Object[0];
  /** Pairs remembered while exempt, reported if their side is later exposed. */
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

  private final Side consumers = new Side(QueueSites.CONSUMER);
  private final Side producers = new Side(QueueSites.PRODUCER);
  /** The sides two threads touched, a mask of {@link QueueSites#CONSUMER} and PRODUCER. */
  private volatile int sharedSides;
  /** {@link QueueCapacity#of} the queue, asked once. */
  private volatile int capacity = QueueCapacity.NOT_ASKED;

  volatile long adds;
  volatile long removes;
  volatile long lastAdderId;
  volatile String lastAdder;
  volatile long lastRemoverId;
  volatile String lastRemover;

  /** The check sites reported on this queue, so that each other queue is counted once. */
  private volatile int[] reportedChecks = new int[0];

  // Guarded by this.
  private int[] pendingChecks;
  private int[] pendingActs;
  private int[] pendingSeen;
  private long[] pendingThreadIds;
  private String[] pendingThreads;
  volatile int pendingCount;
  /** The sides of the remembered pairs. */
  volatile int pendingSides;

  /** One side's users (the first thread, and the second once there is one) and lockset. */
  private static final class Side {
    final int mask;
    volatile long firstId;
    volatile String firstName;
    volatile String secondName;
    /** Weak references to the lock keys held at every touch; null before the first. */
    volatile Object[] locks;

    Side(int mask) {
      this.mask = mask;
    }

    boolean guarded() {
      Object[] held = locks;
      return held != null && held.length > 0;
    }
  }

  /** Whether check site {@code checkSite} was reported on this queue; a scan, no allocation. */
  boolean reported(int checkSite) {
    for (int site : reportedChecks) {
      if (site == checkSite) {
        return true;
      }
    }
    return false;
  }

  /** Records that check site {@code checkSite} was reported on this queue. */
  synchronized void markReported(int checkSite) {
    if (!reported(checkSite)) {
      int[] sites = Arrays.copyOf(reportedChecks, reportedChecks.length + 1);
      sites[sites.length - 1] = checkSite;
      reportedChecks = sites;
    }
  }

  QueueState(Object queue, int hash, ReferenceQueue<Object> collected) {
    super(queue, collected);
    this.hash = hash;
    this.type = queue.getClass().getName();
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

  private Side side(int mask) {
    return mask == QueueSites.CONSUMER ? consumers : producers;
  }

  /**
   * Whether side {@code side} is exposed: two threads touched it, and no lock was held at every
   * one of its touches.
   */
  boolean exposed(int side) {
    return (sharedSides & side) != 0 && !side(side).guarded();
  }

  /** The exposed sides, as a mask. */
  int exposedSides() {
    int shared = sharedSides;
    int exposed = 0;
    if ((shared & QueueSites.CONSUMER) != 0 && !consumers.guarded()) {
      exposed |= QueueSites.CONSUMER;
    }
    if ((shared & QueueSites.PRODUCER) != 0 && !producers.guarded()) {
      exposed |= QueueSites.PRODUCER;
    }
    return exposed;
  }

  /**
   * Records that {@code ts} touched the queue on {@code sides}: who uses each side, and the locks
   * it holds now. Allocates nothing once the thread knows the side and the lockset is as narrow
   * as it gets; takes the monitor on a thread's first touch of a side and to narrow a lockset.
   */
  void touch(PerThread ts, int sides) {
    if ((sides & QueueSites.CONSUMER) != 0) {
      touch(consumers, ts);
    }
    if ((sides & QueueSites.PRODUCER) != 0) {
      touch(producers, ts);
    }
  }

  private void touch(Side side, PerThread ts) {
    if ((sharedSides & side.mask) == 0 && side.firstId != ts.threadId) {
      join(side, ts);
    }
    Object[] current = side.locks;
    for (Object lock : current) {
      if (!isHeld(ts, lock)) {
        narrowLocks(side, ts);
        return;
      }
    }
  }

  private synchronized void join(Side side, PerThread ts) {
    if (side.firstId == 0) {
      side.locks = heldLocks(ts);
      side.firstName = ts.thread.getName();
      side.firstId = ts.threadId;
    } else if ((sharedSides & side.mask) == 0 && side.firstId != ts.threadId) {
      side.secondName = ts.thread.getName();
      sharedSides |= side.mask;
    }
  }

  /** A thread other than the one of id {@code threadId} that touched {@code side}, or null. */
  String otherOn(int side, long threadId) {
    Side users = side(side);
    if ((sharedSides & side) == 0) {
      return users.firstId == threadId ? null : users.firstName;
    }
    return users.firstId == threadId ? users.secondName : users.firstName;
  }

  /**
   * {@link QueueCapacity#of} the queue, asked on the first call only. The caller holds the
   * thread's guard and none of lockguard's locks; {@code queue} is this state's queue.
   */
  int capacity(Object queue) {
    int known = capacity;
    if (known == QueueCapacity.NOT_ASKED) {
      known = QueueCapacity.of(queue);
      capacity = known; // racing threads ask twice at worst, and agree
    }
    return known;
  }

  /** The capacity if it was asked, else {@link QueueCapacity#NOT_ASKED}. */
  int knownCapacity() {
    return capacity;
  }

  private synchronized void narrowLocks(Side side, PerThread ts) {
    Object[] current = side.locks;
    int kept = 0;
    Object[] narrowed = new Object[current.length];
    for (Object lock : current) {
      if (isHeld(ts, lock)) {
        narrowed[kept++] = lock;
      }
    }
    side.locks = kept == 0 ? NO_LOCKS : Arrays.copyOf(narrowed, kept);
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
   * Remembers a pair that ran exempt (one thread on its side, or under a common lock), a few per
   * queue, with what its check returned. Only the first run of a pair on a queue takes the
   * monitor; later runs find it without locking.
   */
  void remember(int checkSite, int actSite, int side, int seen, PerThread ts) {
    int count = pendingCount; // read first: publishes the arrays written before it
    if (count == PENDING || count > 0 && isRemembered(count, checkSite, actSite)) {
      return;
    }
    rememberLocked(checkSite, actSite, side, seen, ts);
  }

  private boolean isRemembered(int count, int checkSite, int actSite) {
    for (int i = 0; i < count; i++) {
      if (pendingChecks[i] == checkSite && pendingActs[i] == actSite) {
        return true;
      }
    }
    return false;
  }

  private synchronized void rememberLocked(int checkSite, int actSite, int side, int seen,
      PerThread ts) {
    if (pendingChecks == null) {
      pendingChecks = new int[PENDING];
      pendingActs = new int[PENDING];
      pendingSeen = new int[PENDING];
      pendingThreadIds = new long[PENDING];
      pendingThreads = new String[PENDING];
    }
    int count = pendingCount;
    if (count < PENDING && !isRemembered(count, checkSite, actSite)) {
      pendingChecks[count] = checkSite;
      pendingActs[count] = actSite;
      pendingSeen[count] = seen;
      pendingThreadIds[count] = ts.threadId;
      pendingThreads[count] = ts.thread.getName();
      pendingSides |= side;
      pendingCount = count + 1;
    }
  }

  /** A pair that ran exempt in a thread, its check having returned {@code seen}. */
  record Remembered(int checkSite, int actSite, int seen, long threadId, String thread) {}

  /**
   * Takes out the remembered pairs of the sides in {@code sides}, keeping the others; null when
   * there are none. A pair's side is its act's.
   */
  synchronized Remembered[] drainRemembered(int sides) {
    int count = pendingCount;
    int taken = 0;
    Remembered[] drained = new Remembered[count];
    int kept = 0;
    int keptSides = 0;
    for (int i = 0; i < count; i++) {
      QueueSites.Entry act = QueueSites.get(pendingActs[i]);
      int side = act == null ? 0 : act.sides;
      if ((side & sides) != 0) {
        drained[taken++] = new Remembered(pendingChecks[i], pendingActs[i], pendingSeen[i],
            pendingThreadIds[i], pendingThreads[i]);
      } else {
        pendingChecks[kept] = pendingChecks[i];
        pendingActs[kept] = pendingActs[i];
        pendingSeen[kept] = pendingSeen[i];
        pendingThreadIds[kept] = pendingThreadIds[i];
        pendingThreads[kept] = pendingThreads[i];
        keptSides |= side;
        kept++;
      }
    }
    pendingSides = keptSides;
    pendingCount = kept;
    return taken == 0 ? null : Arrays.copyOf(drained, taken);
  }
}
