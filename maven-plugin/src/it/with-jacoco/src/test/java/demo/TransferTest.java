package demo;

import org.junit.jupiter.api.Test;

class TransferTest {
  @Test
  void bothDirectionsOneAfterTheOther() throws InterruptedException {
    Thread there = new Thread(Transfer::checkingToSavings, "there");
    there.start();
    there.join();
    Thread back = new Thread(Transfer::savingsToChecking, "back");
    back.start();
    back.join();
  }
}
