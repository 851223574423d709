package demo;

import org.junit.jupiter.api.Test;

class BackwardTest {
  @Test
  void secondThenFirst() {
    Locks.secondThenFirst();
  }
}
