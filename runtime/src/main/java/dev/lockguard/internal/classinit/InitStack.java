package dev.lockguard.internal.classinit;

import dev.lockguard.internal.core.PerThread;
import java.util.Arrays;

/**
 * The classes whose initializers a thread is running, outermost first: each one's {@code
 * <clinit>} started inside the one before it, so each holds the JVM's initialization lock of the
 * next one's caller.
 */
final class InitStack {
  static final PerThread.Slot<InitStack> SLOT = PerThread.newSlot(thread -> new InitStack());

  private int[] ids = new int[8];
  private int depth;

  void push(int id) {
    if (depth == ids.length) {
      ids = Arrays.copyOf(ids, depth * 2);
    }
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
