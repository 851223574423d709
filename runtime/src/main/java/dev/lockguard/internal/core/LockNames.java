package dev.lockguard.internal.core;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/** How reports name and type locks, without calling any method of the application's objects. */
public final class LockNames {
  private LockNames() {}

  /** The type a report shows: the lock's class, or the read-write lock a read or write lock belongs to. */
  public static String typeOf(Object lock) {
    if (lock instanceof ReentrantReadWriteLock.ReadLock
        || lock instanceof ReentrantReadWriteLock.WriteLock) {
      return ReentrantReadWriteLock.class.getName();
    }
    if (lock.getClass().getName().startsWith("java.util.concurrent.locks.ReentrantReadWriteLock$")) {
      return ReentrantReadWriteLock.class.getName(); // the Sync that stands for both halves
    }
    if (lock instanceof Class) {
      return Class.class.getName();
    }
    return lock.getClass().getName();
  }

  /** {@code SimpleType@hash}, or {@code Type.class} for a class used as a monitor. */
  public static String anonymousName(Object display, Object key, int hash) {
    if (display instanceof Class<?> type) {
      return simpleName(type.getName()) + ".class";
    }
    return simpleName(typeOf(display)) + "@" + Integer.toHexString(hash);
  }

  public static String simpleName(String binaryName) {
    int dot = binaryName.lastIndexOf('.');
    return dot < 0 ? binaryName : binaryName.substring(dot + 1);
  }
}
