package dev.lockguard.internal.latch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;

/** The latches the latch detector knows, and what "open" and "released" mean for each. */
enum LatchKind {
  COUNT_DOWN_LATCH(false),
  CYCLIC_BARRIER(true),
  PHASER(true),
  /** {@code dev.lockguard.Event}, and the application's classes named by {@code latches=}. */
  EVENT(false);

  /** Barriers and phasers re-arm after each cycle by design: awaiting them again is their use. */
  final boolean cyclic;

  LatchKind(boolean cyclic) {
    this.cyclic = cyclic;
  }

  static LatchKind of(Object latch) {
    if (latch instanceof CountDownLatch) {
      return COUNT_DOWN_LATCH;
    }
    if (latch instanceof CyclicBarrier) {
      return CYCLIC_BARRIER;
    }
    if (latch instanceof Phaser) {
      return PHASER;
    }
    return EVENT;
  }

  /**
   * Whether the latch has opened: waiting on it now returns at once (for a barrier: broken).
   *
   * @param eventOpen for an event, whether the detector saw it set and not cleared since
   */
  boolean isOpen(Object latch, boolean eventOpen) {
    return switch (this) {
      case COUNT_DOWN_LATCH -> ((CountDownLatch) latch).getCount() == 0;
      case CYCLIC_BARRIER -> ((CyclicBarrier) latch).isBroken();
      case PHASER -> ((Phaser) latch).isTerminated();
      case EVENT -> eventOpen;
    };
  }

  /**
   * Whether a thread that began to wait with {@code mark} (a phase, an event generation) will be
   * woken without anyone's further help.
   *
   * @param eventGeneration for an event, how many times the detector saw it open
   */
  boolean released(Object latch, long mark, long eventGeneration) {
    return switch (this) {
      case COUNT_DOWN_LATCH -> ((CountDownLatch) latch).getCount() == 0;
      case CYCLIC_BARRIER -> {
        CyclicBarrier barrier = (CyclicBarrier) latch;
        yield barrier.isBroken() || barrier.getNumberWaiting() == 0;
      }
      case PHASER -> {
        Phaser phaser = (Phaser) latch;
        yield phaser.isTerminated() || phaser.getPhase() != (int) mark;
      }
      case EVENT -> eventGeneration != mark;
    };
  }
}
