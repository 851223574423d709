package demo;

import org.junit.jupiter.api.Test;

/**
 * The workload of the sample build cross-jvm-cycle: it takes half of a cycle over two static
 * locks in its own forked JVM, so only the merged report sees the cycle. It asserts nothing
 * itself: the build's outcome and reports are what {@code dev.lockguard.maven.PluginIT} asserts.
 */
class ForwardTest {
  @Test
  void firstThenSecond() {
    Locks.firstThenSecond();
  }
}
