package demo;

/** Two accounts' locks, taken in opposite orders by the two directions of a transfer. */
public final class Transfer {
  static final Object CHECKING = new Object();
  static final Object SAVINGS = new Object();

  private Transfer() {}

  public static void checkingToSavings() {
    synchronized (CHECKING) {
      synchronized (SAVINGS) {
        Thread.onSpinWait();
      }
    }
  }

  public static void savingsToChecking() {
    synchronized (SAVINGS) {
      synchronized (CHECKING) {
        Thread.onSpinWait();
      }
    }
  }
}
