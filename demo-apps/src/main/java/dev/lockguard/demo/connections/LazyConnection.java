package dev.lockguard.demo.connections;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection opened lazily, one per thread (recipe 5): every thread that uses the same
 * {@code LazyConnection} gets its own socket in a {@link ThreadLocal}, so their lines never
 * interleave and no lock is needed.
 *
 * <p>{@link #enter()} opens the calling thread's socket and {@link #exit()} closes it; entering
 * twice in one thread without leaving fails with "Already connected". {@link #close()} closes
 * whatever sockets are still open, whatever happened.
 */
final class LazyConnection implements AutoCloseable {
  private final InetSocketAddress server;
  private final ThreadLocal<EchoClient> local = new ThreadLocal<>();
  private final Set<EchoClient> open = ConcurrentHashMap.newKeySet();

  LazyConnection(InetSocketAddress server) {
    this.server = server;
  }

  /** Opens this thread's connection. */
  EchoClient enter() throws IOException {
    if (local.get() != null) {
      throw new IllegalStateException("Already connected");
    }
    EchoClient client = EchoClient.connect(server);
    open.add(client);
    local.set(client);
    return client;
  }

  /** Closes this thread's connection. */
  void exit() throws IOException {
    EchoClient client = local.get();
    if (client == null) {
      throw new IllegalStateException("Not connected: exit() without enter() in this thread");
    }
    local.remove();
    open.remove(client);
    client.close();
  }

  /** Closes every connection still open, in any thread. */
  @Override
  public void close() throws IOException {
    for (EchoClient client : open) {
      client.close();
    }
    open.clear();
  }
}
