package demo;

/** Two process-wide locks, always taken in the same order. */
public final class Locks {
  static final Object FIRST = new Object();
  static final Object SECOND = new Object();

  private Locks() {}

  public static void firstThenSecond() {
    synchronized (FIRST) {
      synchronized (SECOND) {
        Thread.onSpinWait();
      }
    }
  }
}
