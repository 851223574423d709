package demo;

import org.junit.jupiter.api.Test;

/**
 * The workload of the sample build with-jacoco: it takes two locks in both orders, one direction
 * after the other, so lockguard reports a cycle while JaCoCo records coverage. It asserts
 * nothing itself: the build's outcome and reports are what {@code dev.lockguard.maven.PluginIT}
 * asserts.
 */
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
