package dev.lockguard.demo.connections;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection to the echo server that several threads share, each round trip under
 * {@link #lock} so that lines do not interleave.
 *
 * <p>A client's round trip then tells its pool, while still holding this lock, that the
 * connection was used ({@code SharedConnection.lock -> ConnectionPool.lock}); the pool's health
 * check holds the pool's lock and pings each connection ({@code ConnectionPool.lock ->
 * SharedConnection.lock}). Both sites wait for their second lock with a timeout, so the real
 * deadlock this allows ends instead of hanging.
 */
final class SharedConnection implements AutoCloseable {
  static final long PATIENCE_MS = 50;

  private final ReentrantLock lock = new ReentrantLock();
  private final EchoClient client;

  private SharedConnection(EchoClient client) {
    this.client = client;
  }

  static SharedConnection open(InetSocketAddress server) throws IOException {
    return new SharedConnection(EchoClient.connect(server));
  }

  /** A client's round trip: the line out and back, then the pool's bookkeeping under this lock. */
  String echo(String line, ConnectionPool pool) throws IOException, InterruptedException {
    lock.lock(); // @connection-lock
    try {
      String answer = client.echo(line);
      pool.recordUse(); // takes ConnectionPool.lock while this lock is held
      return answer;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The health check's ping, called with the pool's lock held.
   *
   * @return false if the connection stayed busy for {@link #PATIENCE_MS} or did not answer
   */
  boolean ping() throws IOException, InterruptedException {
    if (!lock.tryLock(PATIENCE_MS, TimeUnit.MILLISECONDS)) { // @ping-connection-lock
      return false;
    }
    try {
      return client.echo("ping").equals("ping");
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
