package demo;

import org.junit.jupiter.api.Test;

class ForwardTest {
  @Test
  void firstThenSecond() {
    Locks.firstThenSecond();
  }
}
