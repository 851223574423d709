package dev.lockguard.demo.actors;

import dev.lockguard.Event;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An actor (recipe 7): a thread and a mailbox. {@link #send} puts a message in the mailbox,
 * {@link #recv} takes one out and throws {@link ActorExit} when it takes the close sentinel that
 * {@link #close} sends, and {@link #join} waits for a termination event.
 *
 * <p>Both of its events are single-use: {@code started} is set once the thread runs (so
 * {@link #start} returns only then), {@code terminated} once it has ended.
 */
public abstract class Actor {
  /** Thrown by {@link #recv} when the actor takes the close sentinel. */
  protected static final class ActorExit extends Exception {
    private static final long serialVersionUID = 1L;

    ActorExit() {
      super("closed", null, false, false);
    }
  }

  private static final Object CLOSE = new Object();

  private final String name;
  private final BlockingQueue<Object> mailbox = new LinkedBlockingQueue<>();
  private final Event started = new Event();
  private final Event terminated = new Event();

  protected Actor(String name) {
    this.name = name;
  }

  /** Starts the actor's thread and returns once it runs. */
  public void start() throws InterruptedException {
    Thread thread = new Thread(this::bootstrap, name);
    thread.setDaemon(true); // a mailbox never closed must not keep the JVM alive
    thread.start();
    if (!started.await(2, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not start within 2 s");
    }
  }

  /** Puts {@code message} in the mailbox. */
  public void send(Object message) throws InterruptedException {
    mailbox.put(message);
  }

  /** Sends the close sentinel: the actor ends once it has handled everything sent before. */
  public void close() throws InterruptedException {
    send(CLOSE);
  }

  /** Waits at most {@code timeoutMs} for the actor to end; returns whether it did. */
  public boolean join(long timeoutMs) throws InterruptedException {
    return terminated.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The next message; throws {@link ActorExit} when it is the close sentinel. */
  protected Object recv() throws InterruptedException, ActorExit {
    Object message = mailbox.take();
    if (message == CLOSE) {
      throw new ActorExit();
    }
    return message;
  }

  /** The actor's body: typically a loop over {@link #recv}. */
  protected abstract void run() throws InterruptedException, ActorExit;

  private void bootstrap() {
    started.set();
    try {
      run();
    } catch (ActorExit | InterruptedException end) {
      // closed, or the demo is being stopped
    } finally {
      terminated.set();
    }
  }
}
