package dev.lockguard.internal.lockorder;

import dev.lockguard.internal.core.PerThread;
import dev.lockguard.internal.core.Reporter;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The static methods that instrumented bytecode calls.
 *
 * <p>Each hook sets the thread's re-entry guard, so that anything lockguard itself does (a stack
 * capture, a report write) passes through nested hooks untouched. Hooks never throw into the
 * application: an internal failure is reported once by {@link Faults} and the application goes
 * on. Hooks that replace a call ({@code lock}, {@code await}, ...) perform that call themselves,
 * with the application's exceptions unchanged.
 *
 * <p>The hooks that take a {@code state} argument are the hot ones ({@code synchronized},
 * {@code lock}, {@code unlock}) as a method rewritten by the agent calls them: the method keeps the
 * thread's state in a local variable of its own, null until its first hook, which looks the state
 * up and returns it for the method to keep. So one activation of a method makes at most one
 * thread-local lookup, however many locks it takes (a hot loop inside one method makes none per
 * iteration). A method activation never changes threads (a virtual thread's thread-locals are its
 * own), so the state it keeps is its thread's. The hooks without it look the state up each time;
 * methods the agent does not give a local (too large, method-reference bridges) call those.
 */
public final class Hooks {
  private Hooks() {}

  // ---- synchronized ---------------------------------------------------------------------------

  /**
   * Right before {@code MONITORENTER}: the lock-order check, while the thread can still not block,
   * and the push. The lock counts as held from here: only this thread reads its held locks, and
   * {@code monitorenter} cannot fail on a non-null object, so the only difference is the time the
   * thread spends blocked, which nothing reads. A single call keeps the JIT able to compile the
   * method (see the agent's {@code MonitorVisitor.monitorEnter}).
   */
  public static void monitorEnter(Object lock, int site) {
    enter(ThreadState.current(), lock, site);
  }

  /** {@link #monitorEnter(Object, int)} with the method's state; returns it, looked up if null. */
  public static Object monitorEnter(Object lock, int site, Object state) {
    ThreadState ts = state(state);
    enter(ts, lock, site);
    return ts;
  }

  private static void enter(ThreadState ts, Object lock, int site) {
    if (ts.context.busy || lock == null) {
      return;
    }
    if (ts.depth == 0 && LockOrderDetector.fastOutermost) {
      ts.pushOutermostMonitor(lock, site); // the outermost lock: no edge, no check, nothing to guard
      return;
    }
    if (ts.reenterHeld(lock)) {
      return; // a re-entry: no edge, no check, only its count
    }
    Node known = LockOrderDetector.knownAcquisition(ts, lock, site, false);
    if (known != null) {
      ts.pushKnown(lock, known, site, false); // the validated chain again: nothing to check
      return;
    }
    beforeAndAfter(ts, lock, lock, site, false, true);
  }

  /**
   * At the start of a {@code synchronized} method that the JVM entered holding {@code lock} (a
   * retransformed class): the check and the push in one call.
   */
  public static void methodMonitorEntered(Object lock, int site) {
    entered(ThreadState.current(), lock, site);
  }

  /** {@link #methodMonitorEntered(Object, int)} with the method's state; returns it. */
  public static Object methodMonitorEntered(Object lock, int site, Object state) {
    ThreadState ts = state(state);
    entered(ts, lock, site);
    return ts;
  }

  private static void entered(ThreadState ts, Object lock, int site) {
    if (!ts.context.busy && !ts.reenterHeld(lock)) {
      beforeAndAfter(ts, lock, lock, site, false, true);
    }
  }

  /** Before {@code MONITOREXIT}, and before each exit of a {@code synchronized} method. */
  public static void monitorExit(Object lock) {
    release(ThreadState.current(), lock);
  }

  /** {@link #monitorExit(Object)} with the method's state (looked up if null). */
  public static void monitorExit(Object lock, Object state) {
    release(state(state), lock);
  }

  /**
   * The state a rewritten method passes: the thread's, which its first hook returned, or null
   * before that. Anything else cannot come from the agent's bytecode, and is looked up as null.
   */
  private static ThreadState state(Object state) {
    return state instanceof ThreadState ts ? ts : ThreadState.current();
  }

  // ---- java.util.concurrent.locks.Lock --------------------------------------------------------

  public static void lock(Lock lock, int site) {
    lock(ThreadState.current(), lock, site);
  }

  /** {@link #lock(Lock, int)} with the method's state; returns it, looked up if null. */
  public static Object lock(Lock lock, int site, Object state) {
    ThreadState ts = state(state);
    lock(ts, lock, site);
    return ts;
  }

  private static void lock(ThreadState ts, Lock lock, int site) {
    if (ts.context.busy) {
      lock.lock();
      return;
    }
    // A plain ReentrantLock, the most common lock, is told by one class compare: it is its own
    // key, exclusive, and makes no super.lock() call.
    boolean plain = lock.getClass() == ReentrantLock.class;
    Object key = plain ? lock : LockKeys.keyOf(lock);
    boolean shared = !plain && LockKeys.isShared(lock);
    // The outermost lock takes the fast path: no edge can start there, so no check and no node;
    // so do a re-entry (it cannot block and adds no edge) and a lock that repeats the validated
    // chain, whose check would change nothing.
    boolean outermost = ts.depth == 0 && LockOrderDetector.fastOutermost;
    boolean reentry = !outermost && ts.holds(key);
    Node known = outermost || reentry
        ? null : LockOrderDetector.knownAcquisition(ts, key, site, shared);
    boolean checked = !outermost && !reentry && known == null;
    if (checked) {
      before(ts, key, lock, site, shared, true);
    }
    if (plain || LockKeys.isJdkLock(lock)) {
      lock.lock(); // no super.lock() of a subclass inside it: no need to say which lock is called
    } else {
      Object outer = ts.calling;
      ts.calling = lock;
      try {
        lock.lock();
      } finally {
        ts.calling = outer;
      }
    }
    if (outermost) {
      ts.pushOutermost(key, site, shared);
    } else if (known != null) {
      ts.pushKnown(key, known, site, shared);
    } else if (checked || !ts.reenterHeld(key)) {
      after(ts, key, lock, site, shared); // also if a subclass's lock() let go of the held lock
    }
  }

  public static void lockInterruptibly(Lock lock, int site) throws InterruptedException {
    ThreadState ts = ThreadState.current();
    if (ts.context.busy) {
      lock.lockInterruptibly();
      return;
    }
    Object key = LockKeys.keyOf(lock);
    boolean shared = LockKeys.isShared(lock);
    before(ts, key, lock, site, shared, true);
    Object outer = ts.calling;
    ts.calling = lock;
    try {
      lock.lockInterruptibly();
    } finally {
      ts.calling = outer;
    }
    after(ts, key, lock, site, shared);
  }

  /** An untimed {@code tryLock} cannot block: on success it is held, but it adds no edge. */
  public static boolean tryLock(Lock lock, int site) {
    ThreadState ts = ThreadState.current();
    Object outer = ts.calling;
    ts.calling = lock;
    boolean acquired;
    try {
      acquired = lock.tryLock();
    } finally {
      ts.calling = outer;
    }
    if (acquired && !ts.context.busy) {
      Object key = LockKeys.keyOf(lock);
      boolean shared = LockKeys.isShared(lock);
      before(ts, key, lock, site, shared, false);
      after(ts, key, lock, site, shared);
    }
    return acquired;
  }

  /** A timed {@code tryLock} can block for its timeout, so it is checked like {@code lock}. */
  public static boolean tryLock(Lock lock, long time, TimeUnit unit, int site)
      throws InterruptedException {
    ThreadState ts = ThreadState.current();
    if (ts.context.busy) {
      return lock.tryLock(time, unit);
    }
    Object key = LockKeys.keyOf(lock);
    boolean shared = LockKeys.isShared(lock);
    before(ts, key, lock, site, shared, true);
    Object outer = ts.calling;
    ts.calling = lock;
    boolean acquired;
    try {
      acquired = lock.tryLock(time, unit);
    } finally {
      ts.calling = outer;
    }
    if (acquired) {
      after(ts, key, lock, site, shared);
    }
    return acquired;
  }

  public static void unlock(Lock lock, int site) {
    unlock(ThreadState.current(), lock);
  }

  /** {@link #unlock(Lock, int)} with the method's state (looked up if null). */
  public static void unlock(Lock lock, int site, Object state) {
    unlock(state(state), lock);
  }

  private static void unlock(ThreadState ts, Lock lock) {
    if (lock.getClass() == ReentrantLock.class) {
      lock.unlock();
      release(ts, lock); // its own key (see lock)
      return;
    }
    if (LockKeys.isJdkLock(lock)) {
      lock.unlock();
    } else {
      Object outer = ts.calling;
      ts.calling = lock;
      try {
        lock.unlock();
      } finally {
        ts.calling = outer;
      }
    }
    release(ts, LockKeys.keyOf(lock));
  }

  public static Condition newCondition(Lock lock, int site) {
    Condition condition = lock.newCondition();
    Conditions.register(condition, lock);
    return condition;
  }

  // ---- super.lock() in a Lock subclass ---------------------------------------------------------
  //
  // A static hook cannot make a subclass's super call for it, so the rewriter keeps the
  // invokespecial and puts these around it. Inside a hooked call on the same lock
  // (Hooks.lock -> MySubclass.lock -> super.lock) they do nothing: that is one acquisition, which
  // the outer hook records. Called from code the agent did not rewrite, they are the only record.

  /** Before {@code super.lock()} or {@code super.lockInterruptibly()}: the check. */
  public static void beforeSuperLock(Lock lock, int site) {
    ThreadState ts = ThreadState.current();
    if (ts.context.busy || ts.calling == lock || (ts.depth == 0 && LockOrderDetector.fastOutermost)) {
      return;
    }
    before(ts, LockKeys.keyOf(lock), lock, site, LockKeys.isShared(lock), true);
  }

  /** After {@code super.lock()} or {@code super.lockInterruptibly()} returned: the push. */
  public static void afterSuperLock(Lock lock, int site) {
    ThreadState ts = ThreadState.current();
    if (ts.context.busy || ts.calling == lock) {
      return;
    }
    Object key = LockKeys.keyOf(lock);
    boolean shared = LockKeys.isShared(lock);
    if (ts.depth == 0 && LockOrderDetector.fastOutermost) {
      ts.pushOutermost(key, site, shared);
      return;
    }
    after(ts, key, lock, site, shared);
  }

  /** After {@code super.tryLock()}: held if {@code acquired}, with no edge; returns it. */
  public static boolean superTryLocked(Lock lock, boolean acquired, int site) {
    ThreadState ts = ThreadState.current();
    if (acquired && !ts.context.busy && ts.calling != lock) {
      Object key = LockKeys.keyOf(lock);
      before(ts, key, lock, site, LockKeys.isShared(lock), false);
      after(ts, key, lock, site, LockKeys.isShared(lock));
    }
    return acquired;
  }

  /** After {@code super.unlock()} returned: the pop. */
  public static void afterSuperUnlock(Lock lock) {
    ThreadState ts = ThreadState.current();
    if (ts.calling != lock) {
      release(ts, LockKeys.keyOf(lock));
    }
  }

  /** After {@code super.newCondition()}: remembers whose condition it is; returns it. */
  public static Condition superNewCondition(Lock lock, Condition condition, int site) {
    Conditions.register(condition, lock);
    return condition;
  }

  // ---- waiting releases the lock --------------------------------------------------------------

  public static void await(Condition condition, int site) throws InterruptedException {
    Lock lock = Conditions.ownerOf(condition);
    ThreadState ts = ThreadState.current();
    int count = suspend(ts, lock);
    try {
      condition.await();
    } finally {
      resume(ts, lock, count);
    }
  }

  public static boolean await(Condition condition, long time, TimeUnit unit, int site)
      throws InterruptedException {
    Lock lock = Conditions.ownerOf(condition);
    ThreadState ts = ThreadState.current();
    int count = suspend(ts, lock);
    try {
      return condition.await(time, unit);
    } finally {
      resume(ts, lock, count);
    }
  }

  public static long awaitNanos(Condition condition, long nanos, int site)
      throws InterruptedException {
    Lock lock = Conditions.ownerOf(condition);
    ThreadState ts = ThreadState.current();
    int count = suspend(ts, lock);
    try {
      return condition.awaitNanos(nanos);
    } finally {
      resume(ts, lock, count);
    }
  }

  public static void awaitUninterruptibly(Condition condition, int site) {
    Lock lock = Conditions.ownerOf(condition);
    ThreadState ts = ThreadState.current();
    int count = suspend(ts, lock);
    try {
      condition.awaitUninterruptibly();
    } finally {
      resume(ts, lock, count);
    }
  }

  public static boolean awaitUntil(Condition condition, Date deadline, int site)
      throws InterruptedException {
    Lock lock = Conditions.ownerOf(condition);
    ThreadState ts = ThreadState.current();
    int count = suspend(ts, lock);
    try {
      return condition.awaitUntil(deadline);
    } finally {
      resume(ts, lock, count);
    }
  }

  public static void objectWait(Object monitor, int site) throws InterruptedException {
    ThreadState ts = ThreadState.current();
    int count = suspend(ts, monitor);
    try {
      monitor.wait();
    } finally {
      resume(ts, monitor, count);
    }
  }

  public static void objectWait(Object monitor, long millis, int site)
      throws InterruptedException {
    ThreadState ts = ThreadState.current();
    int count = suspend(ts, monitor);
    try {
      monitor.wait(millis);
    } finally {
      resume(ts, monitor, count);
    }
  }

  public static void objectWait(Object monitor, long millis, int nanos, int site)
      throws InterruptedException {
    ThreadState ts = ThreadState.current();
    int count = suspend(ts, monitor);
    try {
      monitor.wait(millis, nanos);
    } finally {
      resume(ts, monitor, count);
    }
  }

  // ---- guarded steps --------------------------------------------------------------------------

  private static final int SHARED = 1;
  private static final int BLOCKING = 2;

  private static void before(
      ThreadState ts, Object key, Object lock, int site, boolean shared, boolean blocking) {
    ts.context.run(BEFORE, ts, key, lock, site, (shared ? SHARED : 0) | (blocking ? BLOCKING : 0));
  }

  private static final PerThread.Step<ThreadState> BEFORE = (ts, key, lock, site, flags) ->
      LockOrderDetector.beforeAcquire(ts, key, lock, site,
          (flags & SHARED) != 0, (flags & BLOCKING) != 0);

  private static void after(ThreadState ts, Object key, Object lock, int site, boolean shared) {
    ts.context.run(AFTER, ts, key, lock, site, shared ? SHARED : 0);
  }

  private static final PerThread.Step<ThreadState> AFTER = (ts, key, lock, site, flags) ->
      LockOrderDetector.afterAcquire(ts, key, lock, site, (flags & SHARED) != 0);

  /**
   * The check and the push as one guarded step, for an acquisition that cannot block between
   * them (a monitor, whose hook runs right before {@code monitorenter}).
   */
  private static void beforeAndAfter(
      ThreadState ts, Object key, Object lock, int site, boolean shared, boolean blocking) {
    ts.context.run(BEFORE_AND_AFTER, ts, key, lock, site,
        (shared ? SHARED : 0) | (blocking ? BLOCKING : 0));
  }

  private static final PerThread.Step<ThreadState> BEFORE_AND_AFTER =
      (ts, key, lock, site, flags) ->
          LockOrderDetector.acquire(ts, key, lock, site, (flags & SHARED) != 0,
              (flags & BLOCKING) != 0);

  private static void release(ThreadState ts, Object key) {
    PerThread context = ts.context;
    if (context.busy) {
      return;
    }
    // The innermost lock, as most releases are: array stores that cannot fail, so unguarded.
    if (!ts.releaseInnermost(key)) {
      context.run(RELEASE, ts, key, null, 0, 0);
    }
    if (context.reportPending && ts.depth == 0) {
      Reporter.settle(context); // a finding made while locks were held, written now they are not
    }
  }

  private static final PerThread.Step<ThreadState> RELEASE =
      (ts, key, unused, site, flags) -> ts.release(key);

  /** Takes the lock off the held stack while the thread waits; returns its re-entry count. */
  private static int suspend(ThreadState ts, Object lock) {
    if (lock == null) {
      return 0;
    }
    ts.suspendedCount = 0;
    ts.context.run(SUSPEND, ts, lock, null, 0, 0);
    return ts.suspendedCount;
  }

  private static final PerThread.Step<ThreadState> SUSPEND = (ts, lock, unused, site, flags) -> {
    ts.suspendedCount = ts.suspend(LockKeys.keyOf(lock));
  };

  /**
   * Puts the lock back after the wait: taking it again is an acquisition like any other, so locks
   * the thread took after it (and still holds) now order before it.
   */
  private static void resume(ThreadState ts, Object lock, int count) {
    if (count != 0) {
      ts.context.run(RESUME, ts, lock, null, ts.suspendedSite, count);
    }
  }

  private static final PerThread.Step<ThreadState> RESUME = (ts, lock, unused, site, count) -> {
    boolean shared = ts.suspendedShared;
    Object key = LockKeys.keyOf(lock);
    try {
      LockOrderDetector.beforeAcquire(ts, key, lock, site, shared, true);
    } catch (PerThread.Deliberate recorded) {
      // Taking the lock back after a wait already happened: the violation is recorded, and
      // throwing now would only replace the outcome of the wait.
    }
    LockOrderDetector.afterAcquire(ts, key, lock, site, shared);
    ts.setCount(ts.depth - 1, (int) count);
  };
}
