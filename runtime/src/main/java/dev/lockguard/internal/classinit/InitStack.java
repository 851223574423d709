package dev.lockguard.internal.classinit;

import dev.lockguard.internal.core.PerThread;
import java.util.Arrays;

/**
 * The classes whose initializers a thread is running, outermost first: each one's {@code
 * <clinit>} started inside the one before it, so each holds the JVM's initialization lock of the
 * next one's caller.
 */
final class InitStack {
  static final PerThread.Slot<InitStack> SLOT = PerThread.newSlot(InitStack::new);

  /** The thread's lockguard state, whose lockset says which locks it holds. */
  final PerThread thread;

  private int[] ids = new int[8];
  /** How many locks the thread held when each initializer started. */
  private int[] locksHeld = new int[8];
  private int depth;

  private InitStack(PerThread thread) {
    this.thread = thread;
  }

  void push(int id, int locks) {
    if (depth == ids.length) {
      ids = Arrays.copyOf(ids, depth * 2);
      locksHeld = Arrays.copyOf(locksHeld, depth * 2);
    }
    locksHeld[depth] = locks;
    ids[depth++] = id;
  }

  /** The innermost class's id, or 0 when the thread runs no initializer. */
  int top() {
    return depth == 0 ? 0 : ids[depth - 1];
  }

  void pop() {
    depth--;
  }

  int depth() {
    return depth;
  }

  int at(int index) {
    return ids[index];
  }

  /** How many locks the thread held when initializer {@code index} started. */
  int locksHeldAt(int index) {
    return locksHeld[index];
  }

  /** Where {@code id} is on the stack, outermost first, or -1. */
  int indexOf(int id) {
    for (int i = depth - 1; i >= 0; i--) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }
}
