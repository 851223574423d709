package dev.lockguard.benchmarks;

import com.google.common.util.concurrent.CycleDetectingLockFactory;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Makes the locks of the current {@link Form}: JDK locks for the bare JVM and the agent, Guava's
 * cycle-detecting locks for the peer.
 *
 * <p>The workloads call the JDK lock methods on whatever this returns, so the bytecode measured
 * is the same in all three forms: only the lock classes (Guava) or the instrumentation (agent)
 * differ.
 */
public final class Locks {
  /** Read once per JVM; {@code static final} so that the JIT folds the branch below away. */
  static final Form FORM = Form.current();

  private Locks() {}

  /** A new exclusive lock; {@code name} is what Guava reports it as. */
  public static ReentrantLock newLock(String name) {
    if (FORM == Form.GUAVA) {
      return Guava.FACTORY.newReentrantLock(name);
    }
    return new ReentrantLock();
  }

  /** A new read-write lock; {@code name} is what Guava reports it as. */
  public static ReentrantReadWriteLock newReadWriteLock(String name) {
    if (FORM == Form.GUAVA) {
      return Guava.FACTORY.newReentrantReadWriteLock(name);
    }
    return new ReentrantReadWriteLock();
  }

  /** Holder, so that the bare and agent forms never load Guava. */
  private static final class Guava {
    /**
     * THROW, not WARN: the workloads have no cycle, and one made by mistake should stop the run
     * rather than be logged and measured.
     */
    static final CycleDetectingLockFactory FACTORY =
        CycleDetectingLockFactory.newInstance(CycleDetectingLockFactory.Policies.THROW);
  }
}
