package dev.lockguard.internal.core;

import java.util.Arrays;

/**
 * The registry of instrumented sites, indexed by the int id that instrumented code passes.
 *
 * <p>Registration happens at class-transformation time under this class's private monitor;
 * lookups from hooks read a volatile array and never block.
 */
public final class Sites {
  /** The id of a call that no transformer registered (for example the public API). */
  public static final int UNKNOWN = 0;

  private static final Object REGISTRATION = new Object();
  private static volatile Site[] sites = initial();
  private static int nextId = 1;

  private Sites() {}

  private static Site[] initial() {
    Site[] array = new Site[1024];
    array[UNKNOWN] = new Site(UNKNOWN, "unknown", "unknown", null, -1, null);
    return array;
  }

  /**
   * Registers a site and returns its id.
   *
   * @param className binary class name with dots
   * @param lockName {@code Owner.field} when the bytecode shows where the lock lives, else null
   */
  public static int register(
      String className, String methodName, String fileName, int line, String lockName) {
    synchronized (REGISTRATION) {
      int id = nextId++;
      Site[] current = sites;
      if (id >= current.length) {
        current = Arrays.copyOf(current, current.length * 2);
      }
      current[id] = new Site(id, className, methodName, fileName, line, lockName);
      sites = current;
      return id;
    }
  }

  /**
   * Sets a site's line once the transformer knows it (a {@code synchronized} method's monitor
   * hook is emitted before the first line number is read). Runs before the class is loaded.
   */
  public static void setLine(int id, int line) {
    Site site = get(id);
    if (site.id == id) {
      site.line = line;
    }
  }

  /** The site with this id, or the unknown site for an id never registered. */
  public static Site get(int id) {
    Site[] current = sites;
    if (id > 0 && id < current.length) {
      Site site = current[id];
      if (site != null) {
        return site;
      }
    }
    return current[UNKNOWN];
  }
}
