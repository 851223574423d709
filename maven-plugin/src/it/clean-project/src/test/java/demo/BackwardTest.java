package demo;

import org.junit.jupiter.api.Test;

class BackwardTest {
  @Test
  void firstThenSecond() {
    Locks.firstThenSecond();
  }
}
