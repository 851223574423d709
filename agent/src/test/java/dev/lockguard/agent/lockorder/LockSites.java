package dev.lockguard.agent.lockorder;

import dev.lockguard.internal.TestSupport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The lock sites the lock-order rewriters rewrite, one shape a method, for
 * {@link LockSiteRewriterTests}. Each method reports what the runtime saw from inside its lock:
 * rewritten, the hooks tell the runtime; as compiled, the runtime sees nothing.
 */
final class LockSites {
  private final Object account = new Object();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ReentrantReadWriteLock catalog = new ReentrantReadWriteLock();

  /** How often the runtime says this thread holds {@code account}, inside the block. */
  int syncBlock() {
    synchronized (account) {
      return TestSupport.holdCount(account);
    }
  }

  /** The same for the method's monitor, {@code this}. */
  synchronized int syncMethod() {
    return TestSupport.holdCount(this);
  }

  /** The same for a static method's monitor, the class. */
  static synchronized int staticSyncMethod() {
    return TestSupport.holdCount(LockSites.class);
  }

  /** A timed tryLock whose unit is a local: the lock keeps its field's name. */
  int timedTryLock() throws InterruptedException {
    TimeUnit unit = TimeUnit.SECONDS;
    if (!lock.tryLock(1, unit)) {
      return -1;
    }
    try {
      return TestSupport.holdCount(lock);
    } finally {
      lock.unlock();
    }
  }

  /** A read lock is named after the read-write lock it came from. */
  int readLock() {
    catalog.readLock().lock();
    try {
      return TestSupport.heldLocks();
    } finally {
      catalog.readLock().unlock();
    }
  }

  /** {@code Object.wait} releases the monitor: the runtime must see it held again afterwards. */
  int waitOnMonitor() throws InterruptedException {
    synchronized (account) {
      account.wait(1);
      return TestSupport.holdCount(account);
    }
  }

  /** {@code Condition.await} releases the lock the same way. */
  int awaitCondition() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      changed.await(1, TimeUnit.MILLISECONDS);
      return TestSupport.holdCount(lock);
    } finally {
      lock.unlock();
    }
  }

  // ---- where the code got the lock ------------------------------------------------------------

  private final Holder holder = new Holder();

  /** {@code synchronized (this)}: named after the class, like a synchronized method's monitor. */
  int syncThis() {
    synchronized (this) {
      return TestSupport.holdCount(this);
    }
  }

  /** A monitor and a lock from trivial getters: named after the fields they return. */
  int fromGetters() {
    synchronized (holder.getMonitor()) {
      holder.getLock().lock();
      try {
        return TestSupport.heldLocks();
      } finally {
        holder.getLock().unlock();
      }
    }
  }

  /** A monitor from a method that is no plain getter: named after the method. */
  int fromComputed() {
    synchronized (holder.computeMonitor()) {
      return TestSupport.heldLocks();
    }
  }

  /** The JDK's idiom: the field copied to a local first. */
  int fromLocalCopy() {
    final ReentrantLock lock = this.lock;
    lock.lock();
    try {
      return TestSupport.holdCount(lock);
    } finally {
      lock.unlock();
    }
  }

  /** A method reference to {@code lock()}: the JDK spins its class as a hidden class. */
  int methodReference() {
    Runnable take = lock::lock;
    Runnable give = lock::unlock;
    take.run();
    try {
      return TestSupport.holdCount(lock);
    } finally {
      give.run();
    }
  }

  /**
   * Where the locks of {@link #fromGetters} live; public, as the rewritten class is loaded apart
   * from it.
   */
  public static final class Holder {
    private final Object monitor = new Object();
    private final ReentrantLock lock = new ReentrantLock();

    public Object getMonitor() {
      return monitor;
    }

    public ReentrantLock getLock() {
      return lock;
    }

    public Object computeMonitor() {
      return monitor == null ? this : monitor;
    }
  }

  /** A lock subclass that takes itself with {@code super.lock()}, as some libraries' wrappers do. */
  static final class CountingLock extends ReentrantLock {
    int taken;

    @Override
    public void lock() {
      super.lock();
      taken++;
    }

    @Override
    public boolean tryLock() {
      return super.tryLock();
    }

    @Override
    public void unlock() {
      super.unlock();
    }

    /** A method of its own that takes the lock: no caller's {@code lock()} call is checked. */
    void acquire() {
      super.lock();
    }
  }
}
