package dev.lockguard.internal.lockorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Maps a {@code Lock} to the object that identifies it in the graph.
 *
 * <p>The read and the write lock of one {@link ReentrantReadWriteLock} are one lock with two
 * modes, so both map to their shared {@code Sync}. Reading that private field needs
 * {@code java.util.concurrent.locks} opened to this module, which the agent does at start-up;
 * without it the two halves stay separate nodes (and a read/write inversion on one lock is missed).
 */
final class LockKeys {
  private static volatile VarHandle readSync;
  private static volatile VarHandle writeSync;
  private static volatile VarHandle reentrantSync;

  private LockKeys() {}

  /** Called by the agent after it opened the package; returns false if the fields are not there. */
  static boolean initReadWriteAccess() {
    try {
      Class<?> sync = Class.forName("java.util.concurrent.locks.ReentrantReadWriteLock$Sync");
      readSync = MethodHandles.privateLookupIn(ReentrantReadWriteLock.ReadLock.class,
              MethodHandles.lookup())
          .findVarHandle(ReentrantReadWriteLock.ReadLock.class, "sync", sync);
      writeSync = MethodHandles.privateLookupIn(ReentrantReadWriteLock.WriteLock.class,
              MethodHandles.lookup())
          .findVarHandle(ReentrantReadWriteLock.WriteLock.class, "sync", sync);
      reentrantSync = MethodHandles.privateLookupIn(ReentrantLock.class, MethodHandles.lookup())
          .findVarHandle(ReentrantLock.class, "sync",
              Class.forName("java.util.concurrent.locks.ReentrantLock$Sync"));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  static Object keyOf(Object lock) {
    if (lock instanceof ReentrantReadWriteLock.ReadLock) {
      VarHandle handle = readSync;
      return handle == null ? lock : (Object) handle.get((ReentrantReadWriteLock.ReadLock) lock);
    }
    if (lock instanceof ReentrantReadWriteLock.WriteLock) {
      VarHandle handle = writeSync;
      return handle == null ? lock : (Object) handle.get((ReentrantReadWriteLock.WriteLock) lock);
    }
    return lock;
  }

  /**
   * The object a thread blocked on this lock is shown waiting for in a thread dump: the monitor
   * itself, or a {@code ReentrantLock}'s synchronizer. Slow path only.
   */
  static Object waitIdentity(Object lock) {
    VarHandle handle = reentrantSync;
    if (lock instanceof ReentrantLock && handle != null) {
      return (Object) handle.get((ReentrantLock) lock);
    }
    return lock;
  }

  /** Whether a thread dump shows {@code lock} with this identity hash and class. Slow path. */
  static boolean shownAs(Object lock, int identityHash, String className) {
    Object identity = waitIdentity(lock);
    return System.identityHashCode(identity) == identityHash
        && identity.getClass().getName().equals(className);
  }

  /**
   * Whether {@code lock} is exactly one of the JDK's own locks, not a subclass: its methods make
   * no {@code super.lock()} call that the super hooks would have to tell from a new acquisition.
   */
  static boolean isJdkLock(Object lock) {
    Class<?> type = lock.getClass();
    return type == ReentrantLock.class || type == ReentrantReadWriteLock.ReadLock.class
        || type == ReentrantReadWriteLock.WriteLock.class;
  }

  static boolean isShared(Object lock) {
    return lock instanceof ReentrantReadWriteLock.ReadLock;
  }
}
