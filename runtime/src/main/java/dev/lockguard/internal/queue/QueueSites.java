package dev.lockguard.internal.queue;

import dev.lockguard.internal.core.Sites;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The queue check's flagged sites, indexed by the {@link Sites} id that instrumented code passes.
 *
 * <p>The agent registers every site of a check-then-act pair when it transforms a class: a check
 * with its op, an act with its op and the check sites that decide it. Registration takes a private
 * monitor; hooks read a volatile array and never block. A check keeps the highest severity level
 * it was reported at, so that it is reported once for all the acts it decides (a check followed by
 * alternative acts, {@code addFirst} or {@code addLast}, is one bug), and again only when it turns
 * more severe.
 */
public final class QueueSites {
  /** A pair's level: reported as a {@code WARNING} ({@link Consequence}). */
  static final int WARNING = 1;
  /** A pair's level: reported as an {@code ERROR}; see {@link Consequence#level(boolean)}. */
  static final int ERROR = 2;

  /** The consumer side of a queue: sites whose acts take elements out. */
  static final int CONSUMER = 1;
  /** The producer side of a queue: sites whose acts put elements in. */
  static final int PRODUCER = 2;

  private static final VarHandle LEVELS = MethodHandles.arrayElementVarHandle(int[].class);
  private static final Object REGISTRATION = new Object();
  private static volatile Entry[] entries = new Entry[256];
  private static long callsSeen;
  private static int pairs;

  private QueueSites() {}

  /** One flagged site. */
  static final class Entry {
    final QueueOp op;
    /** For an act, the check sites that decide it; empty for a check. */
    final int[] checks;
    /** For a check, the act sites it decides, in the order they registered; empty for an act. */
    volatile int[] acts = new int[0];
    /** For a check, the level it was reported at (0: not yet); see {@link #raise}. */
    private final int[] level = new int[1];
    /**
     * The sides ({@link #CONSUMER}, {@link #PRODUCER}) of the acts the site decides (a check) or
     * is (an act); a check's grows as the acts it decides register.
     */
    volatile int sides;

    Entry(QueueOp op, int[] checks) {
      this.op = op;
      this.checks = checks;
      this.sides = op.isAct() ? sideOf(op) : 0;
    }

    /** The level this check was reported at, 0 if not yet. */
    int level() {
      return (int) LEVELS.getVolatile(level, 0);
    }

    /**
     * Raises this check to {@code newLevel}; true if this call raised it (so it reports), false if
     * it was already reported at that level or higher, through this act or another it decides.
     */
    boolean raise(int newLevel) {
      while (true) {
        int current = (int) LEVELS.getVolatile(level, 0);
        if (current >= newLevel) {
          return false;
        }
        if (LEVELS.compareAndSet(level, 0, current, newLevel)) {
          return true;
        }
      }
    }
  }

  /** Forgets every flagged site and count (unit tests only). */
  static void reset() {
    synchronized (REGISTRATION) {
      entries = new Entry[256];
      callsSeen = 0;
      pairs = 0;
    }
  }

  /** Registers a check site of some pair; called by the agent at transform time. */
  public static void check(int site, QueueOp op) {
    put(site, new Entry(op, new int[0]));
  }

  /**
   * Registers an act site and the check sites whose result decides it; those checks take the
   * act's side and list the act.
   */
  public static void act(int site, QueueOp op, int[] checkSites) {
    put(site, new Entry(op, checkSites.clone()));
    synchronized (REGISTRATION) {
      pairs += checkSites.length;
      for (int checkSite : checkSites) {
        Entry check = get(checkSite);
        if (check != null) {
          check.sides |= sideOf(op);
          int[] acts = Arrays.copyOf(check.acts, check.acts.length + 1);
          acts[acts.length - 1] = site;
          check.acts = acts;
        }
      }
    }
  }

  /** The side of an act: {@link #CONSUMER} or {@link #PRODUCER}. */
  static int sideOf(QueueOp act) {
    return act.kind == QueueOp.Kind.CONSUME ? CONSUMER : PRODUCER;
  }

  /** Counts queue calls the agent examined in a class, flagged or not. */
  public static void seen(int calls) {
    synchronized (REGISTRATION) {
      callsSeen += calls;
    }
  }

  /** Calls on queues that the agent examined when it transformed classes. */
  public static long callsSeen() {
    synchronized (REGISTRATION) {
      return callsSeen;
    }
  }

  /** Check-then-act pairs the agent instrumented. */
  public static int pairs() {
    synchronized (REGISTRATION) {
      return pairs;
    }
  }

  /** The entry of a flagged site, or null. */
  static Entry get(int site) {
    Entry[] current = entries;
    return site > 0 && site < current.length ? current[site] : null;
  }

  private static void put(int site, Entry entry) {
    synchronized (REGISTRATION) {
      Entry[] current = entries;
      if (site >= current.length) {
        current = Arrays.copyOf(current, Math.max(current.length * 2, site + 1));
      }
      current[site] = entry;
      entries = current;
    }
  }
}
