package demo;

import org.junit.jupiter.api.Test;

/**
 * The workload of the sample build clean-project: it takes the locks in the one order the whole
 * project uses, so `check` must pass. It asserts nothing itself: the build's outcome and reports
 * are what {@code dev.lockguard.maven.PluginIT} asserts.
 */
class BackwardTest {
  @Test
  void firstThenSecond() {
    Locks.firstThenSecond();
  }
}
