package example;

/** A bank account whose transfers lock both accounts: the README's example. */
public final class Account {
  private final int id;
  private final Object lock = new Object();
  private long balance;

  public Account(int id, long balance) {
    this.id = id;
    this.balance = balance;
  }

  /** Locks {@code from}, then {@code to}: two transfers in opposite directions can deadlock. */
  public static void transfer(Account from, Account to, long amount) {
    synchronized (from.lock) {
      synchronized (to.lock) {
        from.balance -= amount;
        to.balance += amount;
      }
    }
  }

  /** Locks the account with the lower id first, whichever way the money goes. */
  public static void transferInIdOrder(Account from, Account to, long amount) {
    Account first = from.id < to.id ? from : to;
    Account second = first == from ? to : from;
    synchronized (first.lock) {
      synchronized (second.lock) {
        from.balance -= amount;
        to.balance += amount;
      }
    }
  }

  public long balance() {
    synchronized (lock) {
      return balance;
    }
  }
}
