package dev.lockguard.demo.actors;

import dev.lockguard.Event;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A value that one thread will deliver to another, through a single-use {@link Event}: set once
 * by {@link #set}, read by {@link #get} after the event opened (the event's happens-before edge
 * publishes the value).
 */
public final class Result<T> {
  private final Event ready = new Event();
  private T value;

  /** Delivers the value; call at most once. */
  public void set(T delivered) {
    value = delivered;
    ready.set();
  }

  /** Waits at most {@code timeoutMs} for the value. */
  public T get(long timeoutMs) throws InterruptedException, TimeoutException {
    if (!ready.await(timeoutMs, TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("no result within " + timeoutMs + " ms");
    }
    return value;
  }
}
