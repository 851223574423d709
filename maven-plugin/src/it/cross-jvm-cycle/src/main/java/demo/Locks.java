package demo;

/** Two process-wide locks, taken in opposite orders by two code paths. */
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

  public static void secondThenFirst() {
    synchronized (SECOND) {
      synchronized (FIRST) {
        Thread.onSpinWait();
      }
    }
  }
}
