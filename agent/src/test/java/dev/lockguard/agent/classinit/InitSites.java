package dev.lockguard.agent.classinit;

import java.util.ArrayList;
import java.util.List;

/** A class whose static initializer the class-initialization rewriter rewrites in-process. */
public final class InitSites {
  static final Object LOCK = new Object();
  static final List<String> NAMES = new ArrayList<>();
  public static final int SIZE;

  static {
    synchronized (LOCK) {
      NAMES.add("first");
    }
    SIZE = helper();
  }

  private InitSites() {}

  private static int helper() {
    return Other.VALUE.length();
  }

  /** Public: the rewritten class is defined by a loader of its own, in another package. */
  public static final class Other {
    public static final String VALUE = String.valueOf("other");
  }
}
