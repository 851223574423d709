package dev.lockguard.agent.lockorder;

import dev.lockguard.agent.core.ReceiverNames;
import dev.lockguard.agent.core.TypeHierarchy;
import java.util.concurrent.locks.Lock;

/**
 * The types the lock-site rewriters watch, the runtime class they call, and what they name a lock
 * after.
 */
final class LockTypes {
  /** The runtime class the lock-site rewriters call. */
  static final String HOOKS = "dev/lockguard/internal/lockorder/Hooks";
  static final String OBJECT = "Ljava/lang/Object;";
  static final String LOCK = "java/util/concurrent/locks/Lock";
  static final String CONDITION = "java/util/concurrent/locks/Condition";
  static final String LOCK_DESC = "L" + LOCK + ";";
  static final String CONDITION_DESC = "L" + CONDITION + ";";

  /**
   * A lock is named after the field of any reference type it was loaded from (a monitor can be
   * any object) or the class literal; {@code rw.readLock()} and {@code rw.writeLock()} keep the
   * name of {@code rw}.
   */
  static final ReceiverNames.Rules NAMES = new ReceiverNames.Rules() {
    @Override
    public boolean names(String descriptor) {
      return descriptor.startsWith("L") || descriptor.startsWith("[");
    }

    @Override
    public boolean keepsName(String owner, String name, String descriptor) {
      return (name.equals("readLock") || name.equals("writeLock")) && descriptor.startsWith("()");
    }
  };

  private final TypeHierarchy hierarchy;

  LockTypes(TypeHierarchy hierarchy) {
    this.hierarchy = hierarchy;
  }

  /**
   * Whether calls on {@code owner} are calls on a {@code Lock}: the JDK's own lock types by name,
   * an application type by resolving its hierarchy (once per class being transformed).
   */
  boolean isLockType(String owner) {
    switch (owner) {
      case LOCK:
      case "java/util/concurrent/locks/ReentrantLock":
      case "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock":
      case "java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock":
        return true;
      default:
        if (owner.startsWith("java/") || owner.startsWith("[")) {
          return false;
        }
        return hierarchy.isSubtypeOf(owner, Lock.class);
    }
  }

  /**
   * The receiver type of the hook that stands for a call, named as the call
   * ({@code Hooks.lock(Lock, int)} for {@code lock()}), or null for a call lockguard leaves alone.
   */
  String hookReceiver(String owner, String nameAndDescriptor) {
    if (owner.equals(CONDITION)) {
      return switch (nameAndDescriptor) {
        case "await()V", "await(JLjava/util/concurrent/TimeUnit;)Z", "awaitNanos(J)J",
            "awaitUninterruptibly()V", "awaitUntil(Ljava/util/Date;)Z" -> CONDITION_DESC;
        default -> null;
      };
    }
    return switch (nameAndDescriptor) {
      case "lock()V", "lockInterruptibly()V", "tryLock()Z",
          "tryLock(JLjava/util/concurrent/TimeUnit;)Z", "unlock()V",
          "newCondition()Ljava/util/concurrent/locks/Condition;" ->
          isLockType(owner) ? LOCK_DESC : null;
      default -> null;
    };
  }
}
