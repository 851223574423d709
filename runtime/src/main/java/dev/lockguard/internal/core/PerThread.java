package dev.lockguard.internal.core;

import java.util.Arrays;
import java.util.function.Function;

/**
 * One thread's lockguard state: the re-entry guard every hook uses, and slots on which each
 * detector hangs its own per-thread data.
 *
 * <p>One {@code ThreadLocal} lookup per hook, whatever the number of detectors: a hook looks up
 * its thread's {@code PerThread} and reaches its detector's slot from there (the lock-order
 * detector, on the hottest path, keeps a thread-local of its own that points here; see its
 * {@code ThreadState}). The guard is the only one in the runtime (OpenTelemetry's {@code CallDepth}): while a hook runs in a thread,
 * {@link #busy} is set, and every nested hook (a stack capture, a report write, a lock the
 * runtime takes) passes straight through. Detectors run their steps through {@link #run}, which
 * also turns an internal failure into one line on stderr ({@link Faults}).
 */
public final class PerThread {
  /**
   * A detector's per-thread data: made on the thread's first need, then kept with the thread.
   *
   * @param <T> the data's type
   */
  public static final class Slot<T> {
    final int index;
    final Function<PerThread, T> factory;

    private Slot(int index, Function<PerThread, T> factory) {
      this.index = index;
      this.factory = factory;
    }
  }

  /**
   * A step a hook runs under the guard, on its detector's per-thread {@code state}.
   * Implementations are non-capturing lambdas or method references, so passing one allocates
   * nothing; the arguments carry what a capture would.
   *
   * @param <S> the detector's per-thread state the step works on
   */
  @FunctionalInterface
  public interface Step<S> {
    void run(S state, Object first, Object second, int site, long extra);
  }

  private static final ThreadLocal<PerThread> CURRENT =
      ThreadLocal.withInitial(() -> new PerThread(Thread.currentThread()));
  private static final Object SLOTS_LOCK = new Object();
  private static volatile int slotCount;

  public final Thread thread;
  public final long threadId;
  /** Set while a hook runs in this thread; nested hooks then only pass through. */
  public boolean busy;
  /**
   * Set when this thread reported a finding while it held locks: the lock-order hooks let the
   * {@link Reporter} settle it (print, write) when the thread lets go of its last lock.
   */
  public boolean reportPending;
  /** The locks this thread holds, as the lock-order detector keeps them; empty until it runs. */
  public Lockset lockset = Lockset.NONE;

  private Object[] slots = new Object[Math.max(4, slotCount)];

  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same value.
  private PerThread(Thread thread) {
    this.thread = thread;
    this.threadId = thread.getId();
  }

  public static PerThread current() {
    return CURRENT.get();
  }

  /**
   * Drops the calling thread's state, so that its next hook starts afresh (unit tests only; the
   * thread must hold no lock that a detector tracks).
   */
  public static void forgetCurrent() {
    CURRENT.remove();
  }

  /** A new slot; detectors make theirs once, in a static initializer. */
  public static <T> Slot<T> newSlot(Function<PerThread, T> factory) {
    synchronized (SLOTS_LOCK) {
      Slot<T> slot = new Slot<>(slotCount, factory);
      slotCount++;
      return slot;
    }
  }

  /** This thread's data in {@code slot}, made on first use. */
  @SuppressWarnings("unchecked") // a slot's index holds only what its factory made
  public <T> T get(Slot<T> slot) {
    int index = slot.index;
    if (index < slots.length) {
      Object value = slots[index];
      if (value != null) {
        return (T) value;
      }
    }
    return make(slot);
  }

  private <T> T make(Slot<T> slot) {
    if (slot.index >= slots.length) {
      slots = Arrays.copyOf(slots, Math.max(slotCount, slot.index + 1));
    }
    T value = slot.factory.apply(this);
    slots[slot.index] = value;
    return value;
  }

  /**
   * Runs {@code step} under this thread's guard. Does nothing and returns false when the thread
   * is already inside a hook. A failure of lockguard itself is said once and swallowed; a
   * {@link Deliberate} failure (the throw policy's exception) is rethrown to the application.
   */
  public <S> boolean run(Step<S> step, S state, Object first, Object second, int site,
      long extra) {
    if (busy) {
      return false;
    }
    busy = true;
    try {
      step.run(state, first, second, site, extra);
    } catch (Deliberate deliberate) {
      throw deliberate.failure;
    } catch (Throwable failure) {
      Faults.hookFailed(failure);
    } finally {
      busy = false;
    }
    return true;
  }

  /**
   * Carries an exception that a step means the application to see (under {@code policy=throw})
   * through {@link #run}'s catch-all. Made only on that path; it has no stack of its own.
   */
  public static final class Deliberate extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient RuntimeException failure;

    public Deliberate(RuntimeException failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }
}
