package dev.lockguard.demo.connections;

import dev.lockguard.demo.Demo;
import dev.lockguard.demo.Demo.Variant;
import dev.lockguard.demo.Tally;
import dev.lockguard.demo.Workers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clients of a real local TCP echo server (recipes 5 and 6): {@link EchoServer} listens on
 * 127.0.0.1 and a free port and serves each client from a thread pool; {@value #CLIENTS} client
 * threads send {@value #LINES} lines each and check every echo. The server and every socket are
 * closed at the end, whatever happened.
 *
 * <p>{@code thread-local}: the clients share one {@link LazyConnection}, which opens a socket per
 * thread on first use and keeps it in a {@code ThreadLocal}. No lock guards the sockets because no
 * socket is shared. Silent.
 *
 * <p>{@code shared}: the clients share one {@link SharedConnection} from a {@link ConnectionPool},
 * while a {@code health-check} thread pings the pool's connections. A client holds
 * {@code SharedConnection.lock} and then takes {@code ConnectionPool.lock} to count the use; the
 * health check holds {@code ConnectionPool.lock} and then takes {@code SharedConnection.lock} to
 * ping. The agent reports a {@code POTENTIAL_DEADLOCK} ({@code ERROR}) over those two locks, a
 * client thread and the {@code health-check} thread. Both second acquisitions wait with a timeout,
 * so without the agent the real deadlock shows up as timed-out pings and uncounted uses instead
 * of a hang; when the agent's deadlock watchdog happens to look during one, it also reports that
 * {@code DEADLOCK}.
 */
public final class Connections {
  static final int CLIENTS = 4;
  static final int LINES = 25;
  private static final int SERVER_THREADS = 4;
  private static final int HEALTH_CHECKS = 40;
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private final Tally tally = new Tally();

  private Connections() {}

  /** The demo as {@code Main} lists and runs it. */
  public static Demo demo() {
    return new Demo("connections", "clients of a local TCP echo server with a thread pool", List.of(
        new Variant("thread-local", "a lazily opened connection per thread (ThreadLocal): silent",
            () -> new Connections().runThreadLocal()),
        new Variant("shared", "one shared connection, its lock and the pool's in both orders:"
            + " POTENTIAL_DEADLOCK", () -> new Connections().runShared())));
  }

  // ---- thread-local ---------------------------------------------------------------------------

  private void runThreadLocal() throws Exception {
    try (EchoServer server = EchoServer.start(SERVER_THREADS);
        LazyConnection connection = new LazyConnection(server.address())) {
      Workers clients = new Workers();
      for (int i = 1; i <= CLIENTS; i++) {
        clients.start("client-" + i, () -> talkOverOwnSocket(connection));
      }
      clients.finish(DEADLINE);
    }
    LOG.info("echoes: {}", tally);
  }

  private void talkOverOwnSocket(LazyConnection connection) throws IOException {
    EchoClient socket = connection.enter();
    try {
      for (int n = 1; n <= LINES; n++) {
        checkEcho(socket.echo(line(n)), line(n));
      }
    } finally {
      connection.exit();
    }
  }

  // ---- shared ---------------------------------------------------------------------------------

  private void runShared() throws Exception {
    try (EchoServer server = EchoServer.start(SERVER_THREADS);
        ConnectionPool pool = new ConnectionPool()) {
      SharedConnection connection = SharedConnection.open(server.address());
      pool.add(connection);
      Workers threads = new Workers();
      threads.start("health-check", () -> checkHealthRepeatedly(pool));
      for (int i = 1; i <= CLIENTS; i++) {
        threads.start("client-" + i, () -> talkOverSharedConnection(connection, pool));
      }
      threads.finish(DEADLINE);
      LOG.info("echoes: {}; the pool counted {} uses", tally, pool.uses());
    }
  }

  private void talkOverSharedConnection(SharedConnection connection, ConnectionPool pool)
      throws IOException, InterruptedException {
    for (int n = 1; n <= LINES; n++) {
      checkEcho(connection.echo(line(n), pool), line(n));
    }
  }

  private void checkHealthRepeatedly(ConnectionPool pool) throws IOException, InterruptedException {
    for (int round = 0; round < HEALTH_CHECKS; round++) {
      tally.add("pings-timed-out", pool.checkHealth());
      TimeUnit.MILLISECONDS.sleep(1);
    }
  }

  // ---- shared by both -------------------------------------------------------------------------

  private static String line(int n) {
    return Thread.currentThread().getName() + " line " + n;
  }

  private void checkEcho(String answer, String sent) {
    if (!answer.equals(sent)) {
      throw new IllegalStateException("sent \"" + sent + "\" but the server echoed \"" + answer + "\"");
    }
    tally.increment("echoed");
  }
}
