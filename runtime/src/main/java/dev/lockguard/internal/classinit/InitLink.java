package dev.lockguard.internal.classinit;

import dev.lockguard.internal.classinit.ClassInits.Info;
import dev.lockguard.internal.classinit.ClassInits.Touch;

/**
 * One step of a cycle of class initializations: initializing {@code from} needs {@code to}.
 *
 * @param touch what {@code from}'s initializer does to {@code to}, as the bytecode shows it; null
 *     for the JVM's own order or when the bytecode of the step is not {@code from}'s
 * @param site where the thread's stack shows {@code from}'s initialization reaching {@code to},
 *     or null
 */
record InitLink(Info from, Info to, Why why, Touch touch, StackTraceElement site) {
  /** Why initializing {@code from} needs {@code to}. */
  enum Why {
    /** {@code to}'s initializer ran inside {@code from}'s, in this thread. */
    NESTED,
    /** {@code from}'s initializer touches {@code to} (new, a static field, a static method). */
    TOUCH,
    /** {@code to} is {@code from}'s superclass. */
    SUPERCLASS,
    /** {@code to} is an interface of {@code from} that declares default methods. */
    INTERFACE
  }

  /** The frame of the touch in {@code from}'s code, from the bytecode; null without a touch. */
  StackTraceElement touchFrame() {
    return touch == null ? null
        : new StackTraceElement(from.name, touch.method(), from.fileName, touch.line());
  }

  /** Where this step happens, as a report's site: the stack's frame, else the bytecode's. */
  StackTraceElement where() {
    return site != null ? site : touchFrame();
  }
}
