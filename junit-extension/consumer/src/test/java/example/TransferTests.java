package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockguard.junit.ExpectViolation;
import dev.lockguard.junit.Kind;
import dev.lockguard.junit.LockGuard;
import org.junit.jupiter.api.Test;

/**
 * Tests run under the agent that the README's Maven snippet attaches: the expected inversion is
 * found only if the agent instruments this JVM.
 */
@LockGuard
class TransferTests {

  @Test
  @ExpectViolation(kind = Kind.POTENTIAL_DEADLOCK, locks = "Account.lock")
  void transfersInBothDirectionsCanDeadlock() throws InterruptedException {
    Account alice = new Account(1, 100);
    Account bob = new Account(2, 100);
    inThread(() -> Account.transfer(alice, bob, 10));
    inThread(() -> Account.transfer(bob, alice, 10));
    assertEquals(100, alice.balance());
  }

  @Test
  void transfersInIdOrderAreSafe() throws InterruptedException {
    Account alice = new Account(1, 100);
    Account bob = new Account(2, 100);
    inThread(() -> Account.transferInIdOrder(alice, bob, 10));
    inThread(() -> Account.transferInIdOrder(bob, alice, 10));
    assertEquals(100, bob.balance());
  }

  /** Runs {@code transfer} in a new thread and waits for it: one after the other, no hang. */
  private static void inThread(Runnable transfer) throws InterruptedException {
    Thread thread = new Thread(transfer);
    thread.start();
    thread.join(30_000);
  }
}
