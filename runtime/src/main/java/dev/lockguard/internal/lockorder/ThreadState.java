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

  Object[] keys = new Object[8];
  Node[] nodes = new Node[8];
  int[] counts = new int[8];
  int[] sites = new int[8];
  /** Identity hashes of the held locks, taken before they were locked (see LockGraph.node). */
  int[] hashes = new int[8];
  boolean[] shared = new boolean[8];
  int depth;

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
   * The validated chain (graph mode): the locks, outermost first, of the last acquisition whose
   * check changed nothing, as Linux lockdep caches validated chains. {@code chainValid[i]} says
   * that taking {@code chainNodes[i]} (in mode {@code chainShared[i]}) while holding exactly
   * {@code chainNodes[0..i)} found every edge known, taken by this thread or already by several,
   * within its gate locks and closing no cycle: the same acquisition again would change nothing,
   * so {@link #knownChain} lets it skip one probe per held lock. Nodes are held strongly, their
   * locks weakly, so the cache keeps no lock alive.
   */
  Node[] chainNodes = new Node[8];
  boolean[] chainShared = new boolean[8];
  boolean[] chainValid = new boolean[8];
  /** How many outermost held locks are known to equal the chain's; only ever too low. */
  int matched;
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
  void pushOutermost(Object key, int site) {
    pushOutermost(key, site, false);
  }

  void pushOutermost(Object key, int site, boolean isShared) {
    counter.acquisitions++;
    push(key, System.identityHashCode(key), null, site, isShared, 1);
  }

  /**
   * Pushes a lock whose acquisition repeated the validated chain ({@code
   * LockOrderDetector.knownAcquisition}): its node is the chain's. The arrays have room.
   */
  void pushKnown(Object key, Node node, int site, boolean isShared) {
    counter.acquisitions++;
    push(key, node.hash, null, site, isShared, 1);
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
    if (--counts[top] == 0) {
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
   * acquisition's check would change nothing. Constant time for a known chain, whatever the depth:
   * the held locks are compared with the chain once each, as they are pushed.
   */
  boolean knownChain(Object key, boolean isShared, int generation) {
    int d = depth;
    if (chainGeneration != generation) {
      forgetChain(generation);
      return false;
    }
    if (d >= chainValid.length || !chainValid[d] || !extendMatch(d)) {
      return false;
    }
    return chainShared[d] == isShared && chainNodes[d].refersTo(key);
  }

  /** Compares held locks with the chain up to {@code d}; true if all of them are the chain's. */
  private boolean extendMatch(int d) {
    while (matched < d) {
      int i = matched;
      Node chained = chainNodes[i];
      Node node = nodes[i];
      if (chained == null || chainShared[i] != shared[i]
          || (node != null ? node != chained : !chained.refersTo(keys[i]))) {
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
    extendMatch(d);
    for (int i = matched; i < d; i++) {
      setChain(i, nodes[i], shared[i]);
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

  private void forgetChain(int generation) {
    Arrays.fill(chainNodes, null);
    Arrays.fill(chainValid, false);
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

  void push(Object key, int hash, Node node, int site, boolean isShared, int count) {
    if (depth == keys.length) {
      grow();
    }
    keys[depth] = key;
    hashes[depth] = hash;
    nodes[depth] = node;
    sites[depth] = site;
    shared[depth] = isShared;
    counts[depth] = count;
    depth++;
  }

  /** Undoes one acquisition of {@code key}; returns false if this thread did not hold it. */
  boolean release(Object key) {
    int index = indexOf(key);
    if (index < 0) {
      return false;
    }
    if (--counts[index] == 0) {
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
    int count = counts[index];
    suspendedSite = sites[index];
    suspendedShared = shared[index];
    remove(index);
    return count;
  }

  private void remove(int index) {
    int tail = depth - index - 1;
    if (tail > 0) {
      System.arraycopy(keys, index + 1, keys, index, tail);
      System.arraycopy(nodes, index + 1, nodes, index, tail);
      System.arraycopy(sites, index + 1, sites, index, tail);
      System.arraycopy(hashes, index + 1, hashes, index, tail);
      System.arraycopy(shared, index + 1, shared, index, tail);
      System.arraycopy(counts, index + 1, counts, index, tail);
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
    sites = Arrays.copyOf(sites, length);
    hashes = Arrays.copyOf(hashes, length);
    shared = Arrays.copyOf(shared, length);
    counts = Arrays.copyOf(counts, length);
    chainNodes = Arrays.copyOf(chainNodes, length);
    chainShared = Arrays.copyOf(chainShared, length);
    chainValid = Arrays.copyOf(chainValid, length);
  }
}
