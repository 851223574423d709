package dev.lockguard.agent.latch;

/**
 * An application's own latch, watched through {@code latches=} with {@code set=open,
 * clear=close, await=pass}, for {@link LatchSiteRewriterTests}. Public: the rewritten
 * {@link LatchSites}, defined by another class loader, calls it.
 */
public final class Gate {
  private boolean open;

  public synchronized void open() {
    open = true;
    notifyAll();
  }

  public synchronized void close() {
    open = false;
  }

  /** Waits about {@code millis} for the gate to open, if it is closed; whether it is open. */
  public synchronized boolean pass(long millis) throws InterruptedException {
    if (!open) {
      wait(millis);
    }
    return open;
  }
}
