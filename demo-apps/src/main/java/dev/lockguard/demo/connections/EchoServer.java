package dev.lockguard.demo.connections;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line echo server on 127.0.0.1 and a free port (recipe 6): an accept thread hands each client
 * to a fixed thread pool, which echoes every line back.
 *
 * <p>Every socket has a read timeout, and {@link #close()} closes the server socket, every client
 * socket and the pool, so nothing outlives the demo.
 */
final class EchoServer implements AutoCloseable {
  static final int TIMEOUT_MS = 2_000;

  private final ServerSocket server;
  private final ExecutorService pool;
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  private EchoServer(ServerSocket server, int threads) {
    this.server = server;
    this.pool = Executors.newFixedThreadPool(threads, daemonThreads("echo-"));
    this.acceptor = daemonThreads("echo-acceptor").newThread(this::acceptUntilClosed);
  }

  /** Binds 127.0.0.1 on a free port and starts accepting. */
  static EchoServer start(int threads) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    EchoServer echo = new EchoServer(server, threads);
    echo.acceptor.start();
    return echo;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  private void acceptUntilClosed() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        clients.add(client);
        pool.execute(() -> echoLines(client));
      } catch (IOException closed) {
        return; // close() closed the server socket
      }
    }
  }

  private void echoLines(Socket client) {
    try (client;
        BufferedReader in = new BufferedReader(
            new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
      client.setSoTimeout(TIMEOUT_MS);
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line + "\n");
        out.flush();
      }
    } catch (IOException goneOrTimedOut) {
      // the client closed its end, or sent nothing for TIMEOUT_MS: this connection is over
    } finally {
      clients.remove(client);
    }
  }

  /**
   * Closes the server socket, every client socket and the pool, and waits a little for its
   * threads; an interrupt cuts the wait short and stays set.
   */
  @Override
  public void close() throws IOException {
    server.close();
    for (Socket client : clients) {
      client.close();
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      acceptor.join(TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return body -> {
      String name = prefix.endsWith("-") ? prefix + count.incrementAndGet() : prefix;
      Thread thread = new Thread(body, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
