package dev.lockguard.benchmarks.harness;

import dev.lockguard.benchmarks.Attachment;
import dev.lockguard.benchmarks.Form;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The trivial program whose start-up {@link StartupHarness} times: one nested lock acquisition
 * (so the agent has something to see), one line of output.
 *
 * <p>With {@code --verify} it first checks the JVM runs its form; the timed runs leave that out,
 * because the management classes it loads would add start-up time to both forms.
 */
public final class TrivialMain {
  private static final Object MONITOR = new Object();

  private TrivialMain() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("--verify")) {
      Attachment.verify(Form.current());
    }
    ReentrantLock lock = new ReentrantLock();
    synchronized (MONITOR) {
      lock.lock();
      try {
        System.out.println("hello");
      } finally {
        lock.unlock();
      }
    }
  }
}
