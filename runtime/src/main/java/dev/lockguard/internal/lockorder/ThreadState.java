package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.core.Lockset;
import dev.lockguard.internal.core.PerThread;
import dev.lockguard.internal.core.Statistics;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The locks one thread holds, in acquisition order, with their re-entry counts.
 *
 * <p>This is logically a stack, but release may come out of order ({@code Lock} allows it), so
 * lookups scan from the top: locks are usually released in LIFO order, so the scan is short.
 * Arrays are reused; they grow only when a thread holds more locks than ever before.
 */
final class ThreadState implements Lockset {
  /**
   * Each thread's held locks. Unlike the other detectors' per-thread data, not a
   * {@link PerThread} slot: every lock and unlock starts here, and a thread-local of its own saves
   * the slot's bounds check, load and cast on each hook, which nested acquisitions pay several
   * times per operation (measured in docs/performance.md). It still shares the thread's one guard
   * through {@link #context}, and each hook still makes one thread-local lookup.
   */
  private static final ThreadLocal<ThreadState> CURRENT =
      ThreadLocal.withInitial(() -> new ThreadState(PerThread.current()));

  /**
   * Every live thread's state by thread id, for the watchdog, which asks where a deadlocked
   * thread took the lock it holds ({@link HeldLocks}). Weak, so that a dead thread's state goes;
   * its entry is dropped at a later registration. Touched once per thread, never by a hook.
   */
  private static final Map<Long, WeakReference<ThreadState>> BY_THREAD = new ConcurrentHashMap<>();
  private static int registeredSincePrune;

  final long threadId;
  final Thread thread;
  /** This thread's acquisition count, summed for the report by {@link Statistics}. */
  final Statistics.Counter counter;

  /*
   * The held locks, outermost first, in three arrays written per push (four for a monitor): the
   * lock, its graph node if known, and one long for the rest, so that the push and the pop of the
   * fast path store little. An entry is the site id in its upper 32 bits, the re-entry count in
   * bits 2 to 31, HASHED in bit 1 and SHARED in bit 0.
   */
  Object[] keys = new Object[8];
  Node[] nodes = new Node[8];
  long[] entries = new long[8];
  /**
   * Identity hashes of held monitors, taken before they were locked (see LockGraph.node); valid
   * where the entry says HASHED. A {@code Lock} is no monitor, so its hash is taken when its node
   * is first needed ({@link #hash}), not at every push.
   */
  int[] hashes = new int[8];
  int depth;

  private static final long SHARED = 1L;
  private static final long HASHED = 2L;
  private static final long COUNT_ONE = 4L;
  private static final long COUNT_MASK = 0xFFFF_FFFCL;
  private static final int COUNT_MAX = (int) (COUNT_MASK >>> 2);

  /** The thread's guard and other detectors' state. */
  final PerThread context;

  /** What {@code beforeAcquire} found, for the matching {@code afterAcquire}. */
  Object pendingKey;
  Node pendingNode;
  int pendingHash;

  /**
   * The lock whose own method a hook is calling now ({@code lock.lock()} inside
   * {@code Hooks.lock}), else null: a subclass's {@code super.lock()} inside that call is the same
   * acquisition, and its hooks leave it to the outer one.
   */
  Object calling;

  /**
   * The validated chain (graph mode): the locks, outermost first, of the acquisition last checked
   * or found again whose check changed nothing, as Linux lockdep caches validated chains.
   * {@code chainValid[i]} says that taking {@code chainNodes[i]} (in mode {@code chainShared[i]})
   * while holding exactly {@code chainNodes[0..i)} found every edge known, taken by this thread or
   * already by several, within its gate locks and closing no cycle: the same acquisition again
   * would change nothing, so {@link #knownChain} lets it skip one probe per held lock. Nodes are
   * held strongly, their locks weakly, so the cache keeps no lock alive.
   */
  Node[] chainNodes = new Node[8];
  boolean[] chainShared = new boolean[8];
  boolean[] chainValid = new boolean[8];
  /** How many outermost held locks are known to equal the chain's; only ever too low. */
  int matched;
  /**
   * Earlier validated chains, most recently used first, each in three arrays as the chain's own
   * (null until the thread first validates a second chain). A thread that goes round several
   * chains (H2 takes its session lock under another, then each table's monitor and a sequence's
   * under it, in every transaction) would otherwise overwrite one with the next and find none of
   * them again. Consulted only when the chain itself misses; a hit swaps the two.
   */
  private Node[][] spareNodes;
  private boolean[][] spareShared;
  private boolean[][] spareValid;
  /** How many chains a thread keeps besides its current one. */
  static final int SPARE_CHAINS = 7;
  /** The graph generation the chain was validated in: a reset graph invalidates it. */
  int chainGeneration;

  /** What {@code suspend} took off the stack, for the matching {@code resume}. */
  int suspendedSite;
  boolean suspendedShared;
  int suspendedCount;

  private ThreadState(PerThread context) {
    this.context = context;
    this.thread = context.thread;
    this.threadId = context.threadId;
    this.counter = Statistics.register(thread);
    context.lockset = this;
    register(this);
  }

  static ThreadState current() {
    return CURRENT.get();
  }

  /** The state of the live thread with this id, or null if it never took a lock. */
  static ThreadState of(long threadId) {
    WeakReference<ThreadState> state = BY_THREAD.get(threadId);
    return state == null ? null : state.get();
  }

  private static void register(ThreadState state) {
    BY_THREAD.put(state.threadId, new WeakReference<>(state));
    synchronized (BY_THREAD) {
      if (++registeredSincePrune < 1024) {
        return;
      }
      registeredSincePrune = 0;
    }
    BY_THREAD.values().removeIf(reference -> reference.get() == null);
  }

  @Override
  public int size() {
    return depth;
  }

  @Override
  public Object key(int i) {
    return keys[i];
  }

  @Override
  public boolean holds(Object key) {
    return indexOf(key) >= 0;
  }

  /**
   * The fast path for a lock taken while the thread holds none, in graph mode: no edge can
   * start here and no check applies, so it is only pushed (with its hash, taken before a monitor
   * is locked). Calls nothing that could come back into a hook.
   */
  void pushOutermostMonitor(Object key, int site) {
    counter.acquisitions++;
    push(key, System.identityHashCode(key), null, site, false, 1);
  }

  /** {@link #pushOutermostMonitor} for a {@code Lock}'s key: no hash needed before it is held. */
  void pushOutermost(Object key, int site, boolean isShared) {
    counter.acquisitions++;
    push(key, null, site, isShared);
  }

  /**
   * Pushes a lock whose acquisition repeated the validated chain ({@code
   * LockOrderDetector.knownAcquisition}): its node is the chain's. The arrays have room.
   */
  void pushKnown(Object key, Node node, int site, boolean isShared) {
    counter.acquisitions++;
    push(key, node, site, isShared);
  }

  /**
   * The fast path for a re-entry, in any order mode: if the thread holds {@code key}, counts one
   * more acquisition of it and returns true (the guarded path would add no edge and check
   * nothing: see {@code LockOrderDetector.beforeAcquire}); else false. Array reads and one store
   * within the held depth: it cannot fail.
   */
  boolean reenterHeld(Object key) {
    int index = indexOf(key);
    if (index < 0) {
      return false;
    }
    counter.acquisitions++;
    reenter(index);
    return true;
  }

  /**
   * The fast path for releasing the innermost held lock, as most releases are; false if
   * {@code key} is not that lock. Array stores within the held depth only: it cannot fail.
   */
  boolean releaseInnermost(Object key) {
    int top = depth - 1;
    if (top < 0 || keys[top] != key) {
      return false;
    }
    long entry = entries[top] - COUNT_ONE;
    entries[top] = entry;
    if ((entry & COUNT_MASK) == 0) {
      depth = top;
      keys[top] = null; // a released lock must not be kept alive; its node may stay
      if (matched > top) {
        matched = top;
      }
    }
    return true;
  }

  /**
   * Whether taking {@code key} now, on top of the held locks, is the validated chain: then the
   * acquisition's check would change nothing. Constant time for the current chain, whatever the
   * depth: the held locks are compared with it once each, as they are pushed. When it misses, the
   * earlier chains are compared in full ({@link #spareChain}).
   */
  boolean knownChain(Object key, boolean isShared, int generation) {
    int d = depth;
    if (chainGeneration != generation) {
      forgetChain(generation);
      return false;
    }
    if (d < chainValid.length && chainValid[d] && chainShared[d] == isShared
        && chainNodes[d].refersTo(key) && extendMatch(d)) {
      return true;
    }
    return spareNodes != null && d < chainValid.length && spareChain(key, isShared, d);
  }

  /**
   * Whether an earlier chain validated taking {@code key} on exactly the held locks; if so it
   * becomes the current chain (the two swap places) and true is returned. Compares the held locks
   * with each candidate in full: the slower path, taken only when the current chain misses.
   */
  private boolean spareChain(Object key, boolean isShared, int d) {
    for (int s = 0; s < SPARE_CHAINS; s++) {
      Node[] spare = spareNodes[s];
      boolean[] shared = spareShared[s];
      if (spareValid[s][d] && shared[d] == isShared && spare[d].refersTo(key)
          && heldAre(spare, shared, d)) {
        swapChain(s);
        matched = d;
        return true;
      }
    }
    return false;
  }

  /** Whether the held locks below {@code d} are the chain's {@code chained[0..d)}. */
  private boolean heldAre(Node[] chained, boolean[] shared, int d) {
    for (int i = 0; i < d; i++) {
      if (!sameHeld(i, chained[i], shared[i])) {
        return false;
      }
    }
    return true;
  }

  /** Whether held lock {@code i} is the chain's lock {@code chained}, taken in the same mode. */
  private boolean sameHeld(int i, Node chained, boolean shared) {
    Node node = nodes[i];
    return chained != null && shared == isShared(i)
        && (node != null ? node == chained : chained.refersTo(keys[i]));
  }

  /** Makes spare chain {@code s} the current one and the current one spare {@code s}. */
  private void swapChain(int s) {
    Node[] n = chainNodes;
    boolean[] shared = chainShared;
    boolean[] valid = chainValid;
    chainNodes = spareNodes[s];
    chainShared = spareShared[s];
    chainValid = spareValid[s];
    spareNodes[s] = n;
    spareShared[s] = shared;
    spareValid[s] = valid;
  }

  /** Compares held locks with the chain up to {@code d}; true if all of them are the chain's. */
  private boolean extendMatch(int d) {
    while (matched < d) {
      int i = matched;
      if (!sameHeld(i, chainNodes[i], chainShared[i])) {
        return false;
      }
      matched = i + 1;
    }
    return true;
  }

  /**
   * Records that taking {@code node} on top of the held locks, whose nodes are all made, was
   * checked and changed nothing (see {@link #chainNodes}).
   */
  void recordChain(Node node, boolean isShared, int generation) {
    int d = depth;
    if (d >= chainNodes.length) {
      return; // deeper than ever before: the arrays grow at the push
    }
    if (chainGeneration != generation) {
      forgetChain(generation);
    }
    boolean same = extendMatch(d) && chainNodes[d] == node && chainShared[d] == isShared;
    if (!same && validFrom(Math.min(matched, d))) {
      keepAsSpare(); // recording would forget acquisitions the chain validated
    }
    for (int i = matched; i < d; i++) {
      setChain(i, nodes[i], isShared(i));
    }
    matched = d;
    setChain(d, node, isShared);
    chainValid[d] = true;
  }

  private void setChain(int i, Node node, boolean isShared) {
    if (chainNodes[i] != node || chainShared[i] != isShared) {
      chainNodes[i] = node;
      chainShared[i] = isShared;
      for (int k = i; k < chainValid.length; k++) {
        chainValid[k] = false; // their prefix, or their own lock, is another now
      }
    }
  }

  /** Whether the current chain validated an acquisition at depth {@code from} or deeper. */
  private boolean validFrom(int from) {
    for (int k = from; k < chainValid.length; k++) {
      if (chainValid[k]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Moves the current chain to the front of the spares and starts an empty one in the arrays of
   * the least recently used spare, which is forgotten. Slow path only: allocates the spares once.
   */
  private void keepAsSpare() {
    int length = chainNodes.length;
    if (spareNodes == null) {
      spareNodes = new Node[SPARE_CHAINS][length];
      spareShared = new boolean[SPARE_CHAINS][length];
      spareValid = new boolean[SPARE_CHAINS][length];
    }
    Node[] n = spareNodes[SPARE_CHAINS - 1];
    boolean[] shared = spareShared[SPARE_CHAINS - 1];
    boolean[] valid = spareValid[SPARE_CHAINS - 1];
    System.arraycopy(spareNodes, 0, spareNodes, 1, SPARE_CHAINS - 1);
    System.arraycopy(spareShared, 0, spareShared, 1, SPARE_CHAINS - 1);
    System.arraycopy(spareValid, 0, spareValid, 1, SPARE_CHAINS - 1);
    spareNodes[0] = chainNodes;
    spareShared[0] = chainShared;
    spareValid[0] = chainValid;
    Arrays.fill(n, null);
    Arrays.fill(valid, false);
    chainNodes = n;
    chainShared = shared;
    chainValid = valid;
    matched = 0;
  }

  private void forgetChain(int generation) {
    Arrays.fill(chainNodes, null);
    Arrays.fill(chainValid, false);
    spareNodes = null; // every chain was validated in the old graph
    spareShared = null;
    spareValid = null;
    matched = 0;
    chainGeneration = generation;
  }

  int indexOf(Object key) {
    for (int i = depth - 1; i >= 0; i--) {
      if (keys[i] == key) {
        return i;
      }
    }
    return -1;
  }

  /** Pushes {@code key}, held once, with the identity hash taken before it was locked. */
  void push(Object key, int hash, Node node, int site, boolean isShared, int count) {
    int d = depth;
    if (d == keys.length) {
      grow();
    }
    keys[d] = key;
    nodes[d] = node;
    hashes[d] = hash;
    entries[d] = entry(site, isShared, count) | HASHED;
    depth = d + 1;
  }

  /** Pushes {@code key}, held once, whose hash is taken only if its node is ever needed. */
  private void push(Object key, Node node, int site, boolean isShared) {
    int d = depth;
    if (d == keys.length) {
      grow();
    }
    keys[d] = key;
    nodes[d] = node;
    entries[d] = entry(site, isShared, 1);
    depth = d + 1;
  }

  private static long entry(int site, boolean isShared, int count) {
    return ((long) site << 32) | ((long) count << 2) | (isShared ? SHARED : 0);
  }

  /** The site id of held lock {@code i}. */
  int site(int i) {
    return siteOf(entries[i]);
  }

  /** The site id in a held-lock entry. */
  static int siteOf(long entry) {
    return (int) (entry >>> 32);
  }

  /** How many times held lock {@code i} is held. */
  int count(int i) {
    return (int) ((entries[i] & COUNT_MASK) >>> 2);
  }

  /** Sets the re-entry count of held lock {@code i} (at least 1). */
  void setCount(int i, int count) {
    entries[i] = (entries[i] & ~COUNT_MASK) | ((long) Math.min(count, COUNT_MAX) << 2);
  }

  /**
   * Counts one more re-entry of held lock {@code i}. Past 2^30 - 1 the count stays there (no
   * thread re-enters one lock that often; a {@code ReentrantLock} itself stops at 2^31 - 1).
   */
  void reenter(int i) {
    if (count(i) < COUNT_MAX) {
      entries[i] += COUNT_ONE;
    }
  }

  /** Whether held lock {@code i} is held in shared (read) mode. */
  boolean isShared(int i) {
    return (entries[i] & SHARED) != 0;
  }

  /**
   * The identity hash of held lock {@code i}: a monitor's was taken before it was locked (taking
   * it while the thread holds the monitor would inflate it); a {@code Lock}'s is taken now.
   */
  int hash(int i) {
    return (entries[i] & HASHED) != 0 ? hashes[i] : System.identityHashCode(keys[i]);
  }

  /** Undoes one acquisition of {@code key}; returns false if this thread did not hold it. */
  boolean release(Object key) {
    int index = indexOf(key);
    if (index < 0) {
      return false;
    }
    long entry = entries[index] - COUNT_ONE;
    entries[index] = entry;
    if ((entry & COUNT_MASK) == 0) {
      remove(index);
    }
    return true;
  }

  /**
   * Takes {@code key} off the stack whatever its count, as {@code Object.wait} and
   * {@code Condition.await} release it; returns the count, or 0 if it was not held.
   */
  int suspend(Object key) {
    int index = indexOf(key);
    if (index < 0) {
      return 0;
    }
    int count = count(index);
    suspendedSite = site(index);
    suspendedShared = isShared(index);
    remove(index);
    return count;
  }

  private void remove(int index) {
    int tail = depth - index - 1;
    if (tail > 0) {
      System.arraycopy(keys, index + 1, keys, index, tail);
      System.arraycopy(nodes, index + 1, nodes, index, tail);
      System.arraycopy(entries, index + 1, entries, index, tail);
      System.arraycopy(hashes, index + 1, hashes, index, tail);
    }
    depth--;
    keys[depth] = null; // a released lock must not be kept alive; its node may stay
    if (matched > index) {
      matched = index; // the locks above index moved down: compared again when next needed
    }
  }

  private void grow() {
    int length = keys.length * 2;
    keys = Arrays.copyOf(keys, length);
    nodes = Arrays.copyOf(nodes, length);
    entries = Arrays.copyOf(entries, length);
    hashes = Arrays.copyOf(hashes, length);
    chainNodes = Arrays.copyOf(chainNodes, length);
    chainShared = Arrays.copyOf(chainShared, length);
    chainValid = Arrays.copyOf(chainValid, length);
    if (spareNodes != null) {
      for (int s = 0; s < SPARE_CHAINS; s++) {
        spareNodes[s] = Arrays.copyOf(spareNodes[s], length);
        spareShared[s] = Arrays.copyOf(spareShared[s], length);
        spareValid[s] = Arrays.copyOf(spareValid[s], length);
      }
    }
  }
}
