package dev.lockguard.internal.core;

/**
 * The locks a thread holds, as the lock-order detector keeps them, for other detectors to read
 * (the queue check exempts pairs that one lock makes atomic). Only the owning thread reads it.
 */
public interface Lockset {
  /** How many distinct locks the thread holds. */
  int size();

  /** The identity of held lock {@code i}, outermost first. */
  Object key(int i);

  /** Whether the thread holds the lock whose identity is {@code key}. */
  boolean holds(Object key);

  /** A thread that has taken no lock yet. */
  Lockset NONE = new Lockset() {
    @Override
    public int size() {
      return 0;
    }

    @Override
    public Object key(int i) {
      throw new IndexOutOfBoundsException(i);
    }

    @Override
    public boolean holds(Object key) {
      return false;
    }
  };
}
