package dev.lockguard;

/**
 * Thrown in the acquiring thread, before it blocks, when taking a lock would break the lock order
 * ({@code policy=throw}, or {@link OrderedLocks} used out of order): the would-be deadlock becomes
 * an exception that names the locks.
 */
public class LockOrderViolationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public LockOrderViolationException(String message) {
    super(message);
  }
}
