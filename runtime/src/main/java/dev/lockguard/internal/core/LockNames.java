package dev.lockguard.internal.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * How reports name and type locks, without calling any method of the application's objects, and
 * the registry through which the detector that knows a lock's name lends it to the others.
 */
public final class LockNames {
  /**
   * What a detector knows of a lock a thread dump shows by its identity hash and class name (a
   * monitor, or a {@code ReentrantLock}'s synchronizer); each answer null if unknown.
   */
  @FunctionalInterface
  public interface ByIdentity {
    String name(int identityHash, String className);

    /** The lock's type as the application wrote it ({@code ReentrantLock}, not its {@code Sync}). */
    default String type(int identityHash, String className) {
      return null;
    }

    /** Where thread {@code threadId} took the lock that it holds now. */
    default Site heldAt(long threadId, int identityHash, String className) {
      return null;
    }
  }

  private static final ByIdentity NONE = (identityHash, className) -> null;
  private static volatile ByIdentity byIdentity = NONE;
  /** Names of static fields that hold locks: each stands for one object in every JVM. */
  private static final Set<String> STATIC_FIELDS = ConcurrentHashMap.newKeySet();

  private LockNames() {}

  /**
   * Lets {@code names} answer {@link #byIdentity}: the lock-order detector registers its graph at
   * start, so that the watchdog names a deadlock's locks as the graph does without depending on
   * the lock-order package.
   */
  public static void nameByIdentity(ByIdentity names) {
    byIdentity = names;
  }

  /** Forgets the registered names (unit tests only). */
  public static void reset() {
    byIdentity = NONE;
    STATIC_FIELDS.clear();
  }

  /**
   * Records that {@code name} ({@code Owner.field}) is a static field: the agent calls this when
   * it names a lock after a {@code getstatic}, so that a report can say the name stands for one
   * object, the same in every JVM. Transformation time only.
   */
  public static void declareStaticField(String name) {
    STATIC_FIELDS.add(name);
  }

  /** Whether {@code name} was declared a static field ({@link #declareStaticField}). */
  public static boolean isStaticField(String name) {
    return STATIC_FIELDS.contains(name);
  }

  /** The name a detector gave the lock with this identity hash and class, or null. Slow path. */
  public static String byIdentity(int identityHash, String className) {
    return byIdentity.name(identityHash, className);
  }

  /** The type the detector that knows this lock gave it, or null. Slow path. */
  public static String typeByIdentity(int identityHash, String className) {
    return byIdentity.type(identityHash, className);
  }

  /** Where thread {@code threadId} took the lock it holds now, or null if unknown. Slow path. */
  public static Site heldAt(long threadId, int identityHash, String className) {
    return byIdentity.heldAt(threadId, identityHash, className);
  }

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
