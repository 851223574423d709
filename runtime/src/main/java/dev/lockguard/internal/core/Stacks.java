package dev.lockguard.internal.core;

import java.util.Arrays;

/**
 * The one stack trimmer: cuts the frames off the top of a stack that are not the application's,
 * so that a report starts where the application is.
 *
 * <p>What counts as "not the application's" depends on whose stack it is, so the rule is a
 * parameter ({@link Trim}) rather than three trimmers: a hook's own stack keeps the JDK's frames,
 * another thread's stack drops them, and a latch finding also writes its frames plain. A stack
 * with nothing left after the cut is kept whole: a thread that runs only JDK code still shows
 * where it is.
 */
public final class Stacks {
  private static final String INTERNAL = "dev.lockguard.internal.";
  private static final String EVENT = "dev.lockguard.Event";
  private static final String HIDDEN_CLASS = "$$Lambda";

  /** Which top frames are cut, and how the rest is written. */
  public enum Trim {
    /**
     * lockguard's own frames only, the frames kept as the JVM wrote them: a stack that a hook
     * takes in the thread it runs in, whose top JDK frames are where the application took the
     * lock (a method of a synchronized JDK collection, say).
     */
    HOOK(false, false),
    /**
     * lockguard's and the JDK's ({@code java.}, {@code jdk.}, {@code sun.}), the frames kept as
     * the JVM wrote them: another thread's stack, parked deep in lock internals (the watchdog).
     */
    WAITER(true, false),
    /**
     * lockguard's, the JDK's and {@code dev.lockguard.Event}'s, the frames written plain: a latch
     * finding lists the stack of the thread it runs in beside other threads' stacks, so it writes
     * them alike, without module and loader prefixes and without the frames of hidden classes
     * (lambda bridges), which only another thread's stack shows.
     */
    LATCH(true, true);

    private final boolean cutsJdk;
    private final boolean plain;

    Trim(boolean cutsJdk, boolean plain) {
      this.cutsJdk = cutsJdk;
      this.plain = plain;
    }

    boolean cuts(String className) {
      return className.startsWith(INTERNAL) || cutsJdk && (isJdk(className)
          || this == LATCH && className.equals(EVENT));
    }
  }

  private Stacks() {}

  /** Whether {@code className} is the JDK's ({@code java.}, {@code jdk.}, {@code sun.}). */
  public static boolean isJdk(String className) {
    return className.startsWith("java.") || className.startsWith("jdk.")
        || className.startsWith("sun.");
  }

  /**
   * The frame a finding names as the site of {@code stack}: its top frame, or, when the top frames
   * are the JDK's (a method of a JDK class the agent watches took the lock), the application
   * frame that called into the JDK; the top frame when no frame is the application's. The JDK
   * frames stay in the stack itself.
   */
  public static StackTraceElement callSite(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      if (!isJdk(frame.getClassName())) {
        return frame;
      }
    }
    return stack[0];
  }

  /** The calling thread's stack, trimmed. */
  public static StackTraceElement[] current(Trim trim) {
    return trim(new Throwable().getStackTrace(), trim);
  }

  /** {@code stack} from its first frame that {@code trim} does not cut. */
  public static StackTraceElement[] trim(StackTraceElement[] stack, Trim trim) {
    int first = 0;
    while (first < stack.length && trim.cuts(stack[first].getClassName())) {
      first++;
    }
    StackTraceElement[] kept =
        first == stack.length ? stack : Arrays.copyOfRange(stack, first, stack.length);
    return trim.plain ? plain(kept) : kept;
  }

  /** The frames without module and loader prefixes, and without hidden classes' frames. */
  private static StackTraceElement[] plain(StackTraceElement[] stack) {
    StackTraceElement[] frames = new StackTraceElement[stack.length];
    int kept = 0;
    for (StackTraceElement frame : stack) {
      if (!frame.getClassName().contains(HIDDEN_CLASS)) {
        frames[kept++] = new StackTraceElement(frame.getClassName(), frame.getMethodName(),
            frame.getFileName(), frame.getLineNumber());
      }
    }
    return kept == frames.length ? frames : Arrays.copyOf(frames, kept);
  }
}
