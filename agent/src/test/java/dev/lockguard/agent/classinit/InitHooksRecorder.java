package dev.lockguard.agent.classinit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the runtime's {@code ClassInitHooks} in a patched class whose constant pool names
 * this class instead (the two names have the same length, so only those bytes differ): records
 * the order in which the hooks run.
 */
public final class InitHooksRecorder {
  /** The hooks called, as {@code enter 7} and {@code exit 7}. */
  public static final List<String> CALLS = new CopyOnWriteArrayList<>();

  private InitHooksRecorder() {}

  public static void enter(int id) {
    CALLS.add("enter " + id);
  }

  public static void exit(int id) {
    CALLS.add("exit " + id);
  }
}
