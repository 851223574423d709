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
     * lockguard's and the JDK's ({@code java.}, {@code jdk.}, {@code sun.}): another thread's
     * stack, parked deep in lock internals (the watchdog). Its frames come from a thread dump,
     * which writes them as no other report does ({@code app//}, {@code java.base@17.0.15/}, the
     * frames of hidden classes with run-to-run addresses): they are written as a hook's own stack
     * writes them ({@code java.base/}, no loader name, no hidden frames), so that a deadlock's
     * frames, sites and id read like every other finding's and stay the same from run to run.
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
    if (trim == Trim.WAITER) {
      return asThrown(kept);
    }
    return trim.plain ? plain(kept) : kept;
  }

  /**
   * Where a thread took a lock it still holds: the site's frame on top of the callers of the
   * site's method that are still on {@code stack}, or the site's frame alone when that method is
   * no longer on it (it returned, still holding a {@code Lock}); {@code stack} itself for the
   * unknown site.
   */
  public static StackTraceElement[] heldAt(Site site, StackTraceElement[] stack) {
    if (site.id == Sites.UNKNOWN) {
      return stack;
    }
    for (int i = 0; i < stack.length; i++) {
      StackTraceElement frame = stack[i];
      if (frame.getClassName().equals(site.className)
          && frame.getMethodName().equals(site.methodName)) {
        StackTraceElement[] heldAt = new StackTraceElement[stack.length - i];
        heldAt[0] = site.frame();
        System.arraycopy(stack, i + 1, heldAt, 1, heldAt.length - 1);
        return heldAt;
      }
    }
    return new StackTraceElement[] {site.frame()};
  }

  /**
   * The frames of a thread dump as {@link Throwable#getStackTrace()} writes a thread's own: no
   * name for the built-in class loaders, no version for the JDK's modules, and no frames of
   * hidden classes (lambda bridges).
   */
  private static StackTraceElement[] asThrown(StackTraceElement[] stack) {
    StackTraceElement[] frames = new StackTraceElement[stack.length];
    int kept = 0;
    for (StackTraceElement frame : stack) {
      if (frame.getClassName().contains(HIDDEN_CLASS)) {
        continue;
      }
      String loader = frame.getClassLoaderName();
      String module = frame.getModuleName();
      boolean builtInLoader = loader == null || loader.equals("app") || loader.equals("platform");
      boolean jdkModule = module != null && (module.startsWith("java.") || module.startsWith("jdk."));
      frames[kept++] = new StackTraceElement(builtInLoader ? null : loader, module,
          jdkModule ? null : frame.getModuleVersion(), frame.getClassName(),
          frame.getMethodName(), frame.getFileName(), frame.getLineNumber());
    }
    return kept == frames.length ? frames : Arrays.copyOf(frames, kept);
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
