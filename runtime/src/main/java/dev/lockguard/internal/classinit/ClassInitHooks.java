package dev.lockguard.internal.classinit;

import dev.lockguard.internal.core.PerThread;

/**
 * The hooks the agent puts around each application class's static initializer: {@code
 * ClassInitHooks.enter(id)} first, {@code ClassInitHooks.exit(id)} before each return and when
 * it throws, and {@code ClassInitHooks.lockInInitializer(lock, id, field)} before each lock it,
 * or a method of its class it calls, takes. An initializer runs once per class, so these are not
 * on a hot path: they may allocate (a finding's stack), but they never throw into the initializer
 * and run under the thread's re-entry guard.
 */
public final class ClassInitHooks {
  private static final PerThread.Step<InitStack> ENTER =
      (stack, first, second, id, extra) -> ClassInitDetector.enter(stack, id);
  private static final PerThread.Step<InitStack> EXIT =
      (stack, first, second, id, extra) -> ClassInitDetector.exit(stack, id);

  private static final PerThread.Step<InitStack> LOCK =
      (stack, lock, field, id, extra) ->
          ClassInitDetector.lockInInitializer(stack, lock, (String) field, id);

  private ClassInitHooks() {}

  /** The static initializer of class {@code id} ({@code ClassInits.reserve}) starts. */
  public static void enter(int id) {
    PerThread thread = PerThread.current();
    thread.run(ENTER, thread.get(InitStack.SLOT), null, null, id, 0);
  }

  /** The static initializer of class {@code id} ends, by a return or a throw. */
  public static void exit(int id) {
    PerThread thread = PerThread.current();
    thread.run(EXIT, thread.get(InitStack.SLOT), null, null, id, 0);
  }

  /**
   * The static initializer of class {@code id}, or a method of the class it calls, is about to
   * take {@code lock} (a {@code synchronized} block, {@code Lock.lock()} or {@code
   * lockInterruptibly()}); {@code field} is {@code Owner.field} when the bytecode loaded the lock
   * from that field, else null. Once the class is initialized it returns at once, allocating
   * nothing.
   */
  public static void lockInInitializer(Object lock, int id, String field) {
    ClassInits.Info info = ClassInits.get(id);
    if (info == null || info.state != ClassInits.Info.RUNNING) {
      return; // a method the initializer calls, called again after it: nothing to check
    }
    PerThread thread = PerThread.current();
    thread.run(LOCK, thread.get(InitStack.SLOT), lock, field, id, 0);
  }

  /** Forgets the cycles reported and how far each initialization got (unit tests only). */
  public static void reset() {
    ClassInitDetector.reset();
  }
}
