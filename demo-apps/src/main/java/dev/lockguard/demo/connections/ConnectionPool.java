package dev.lockguard.demo.connections;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool that hands out {@link SharedConnection}s, counts their use and checks their health,
 * all under {@link #lock}. Its health check takes each connection's lock while it holds its own:
 * the opposite order of a client's round trip, which is the bug the {@code shared} variant shows.
 */
final class ConnectionPool implements AutoCloseable {
  private final ReentrantLock lock = new ReentrantLock();
  private final List<SharedConnection> connections = new ArrayList<>();
  private long uses;

  void add(SharedConnection connection) {
    lock.lock();
    try {
      connections.add(connection);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Counts one use; called by a client that holds the connection's lock. If the pool stays locked
   * for the patience time, the health check holds it and waits for this very connection (a real
   * deadlock, timed out), and the use goes uncounted.
   */
  void recordUse() throws InterruptedException {
    if (!lock.tryLock(SharedConnection.PATIENCE_MS, TimeUnit.MILLISECONDS)) { // @pool-lock-under-connection
      return;
    }
    try {
      uses++;
    } finally {
      lock.unlock();
    }
  }

  /** Pings every connection under the pool's lock; returns how many did not answer in time. */
  int checkHealth() throws IOException, InterruptedException {
    lock.lock(); // @health-check-pool-lock
    try {
      int unhealthy = 0;
      for (SharedConnection connection : connections) {
        if (!connection.ping()) { // takes SharedConnection.lock while the pool's lock is held
          unhealthy++;
        }
      }
      return unhealthy;
    } finally {
      lock.unlock();
    }
  }

  long uses() {
    lock.lock();
    try {
      return uses;
    } finally {
      lock.unlock();
    }
  }

  /** Closes every connection. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      for (SharedConnection connection : connections) {
        connection.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
