package dev.lockguard.benchmarks.harness;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child program of {@link DatabaseHarness}: an H2 in-memory database (H2 on the class path,
 * so the agent instruments it) under several JDBC threads, each running a fixed number of
 * transactions: transfers between accounts (two updates and an audit insert, committed) and a
 * join of accounts with their audit rows. At the end it checks that money was neither made nor
 * lost and that every committed transfer left exactly one audit row, and exits with status 1 if
 * not. Each thread first runs as many transactions unmeasured, so that the measured round
 * sees the code compiled by the JIT.
 *
 * <p>Prints {@code measure db-wall-ms}, {@code measure db-process-cpu-ms}, then the invariant.
 */
public final class DatabaseMain {
  private static final int ACCOUNTS = 200;
  private static final long START_BALANCE = 1_000;

  private DatabaseMain() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int transactions = Integer.parseInt(args[1]);
    String url = "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
    try (Connection setup = DriverManager.getConnection(url);
        Statement statement = setup.createStatement()) {
      statement.execute("CREATE TABLE account(id INT PRIMARY KEY, balance BIGINT NOT NULL)");
      statement.execute("CREATE TABLE audit(id BIGINT AUTO_INCREMENT PRIMARY KEY, src INT,"
          + " dst INT, amount BIGINT)");
      statement.execute("CREATE INDEX audit_src ON audit(src)");
      statement.execute("INSERT INTO account SELECT x, " + START_BALANCE
          + " FROM SYSTEM_RANGE(1, " + ACCOUNTS + ")");
      // Each thread runs an unmeasured round first, so that H2's hot code (and the agent's hooks
      // in it) is compiled before the measured round, and the threads that measure are the ones
      // that warmed up, as a server's pooled threads would be.
      AtomicLong transfers = new AtomicLong();
      AtomicLong retries = new AtomicLong();
      CyclicBarrier warmedUp = new CyclicBarrier(threads + 1);
      CyclicBarrier go = new CyclicBarrier(threads + 1);
      Thread[] workers = new Thread[threads];
      AtomicReference<Throwable> failure = new AtomicReference<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        workers[t] = new Thread(() -> {
          try {
            work(url, seed + threads, transactions, new AtomicLong(), new AtomicLong());
            warmedUp.await();
            go.await();
            work(url, seed, transactions, transfers, retries);
          } catch (Throwable e) {
            failure.compareAndSet(null, e); // the first failure, not the broken barriers after it
            warmedUp.reset(); // nobody waits for a thread that failed
            go.reset();
          }
        }, "jdbc-" + t);
        workers[t].start();
      }
      OperatingSystemMXBean os =
          ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
      long wall = 0;
      long cpu = 0;
      try {
        warmedUp.await();
        statement.execute("DELETE FROM audit");
        wall = System.nanoTime();
        cpu = os.getProcessCpuTime();
        go.await();
      } catch (BrokenBarrierException e) {
        // a worker failed: joined and reported below
      }
      for (Thread worker : workers) {
        worker.join();
      }
      if (failure.get() != null) {
        throw new IllegalStateException("a JDBC thread failed", failure.get());
      }
      System.out.printf(Locale.ROOT, "measure db-wall-ms %.0f%n", (System.nanoTime() - wall) / 1e6);
      System.out.printf(Locale.ROOT, "measure db-process-cpu-ms %.0f%n",
          (os.getProcessCpuTime() - cpu) / 1e6);
      long total = single(statement, "SELECT SUM(balance) FROM account");
      long audits = single(statement, "SELECT COUNT(*) FROM audit");
      boolean ok = total == ACCOUNTS * START_BALANCE && audits == transfers.get();
      System.out.println("invariant " + (ok ? "held" : "BROKEN") + ": sum of balances " + total
          + " (expected " + ACCOUNTS * START_BALANCE + "), audit rows " + audits
          + " for " + transfers.get() + " transfers");
      if (!ok) {
        System.exit(1);
      }
    }
  }

  private static void work(String url, long seed, int transactions, AtomicLong transfers,
      AtomicLong retries) throws SQLException {
    SplittableRandom random = new SplittableRandom(seed);
    try (Connection connection = DriverManager.getConnection(url);
        PreparedStatement debit =
            connection.prepareStatement("UPDATE account SET balance = balance - ? WHERE id = ?");
        PreparedStatement credit =
            connection.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?");
        PreparedStatement audit = connection.prepareStatement(
            "INSERT INTO audit(src, dst, amount) VALUES (?, ?, ?)");
        PreparedStatement join = connection.prepareStatement("SELECT a.id, COUNT(t.id),"
            + " COALESCE(SUM(t.amount), 0) FROM account a LEFT JOIN audit t ON t.src = a.id"
            + " WHERE a.id BETWEEN ? AND ? GROUP BY a.id")) {
      connection.setAutoCommit(false);
      for (int i = 0; i < transactions; i++) {
        if (i % 4 == 3) {
          int from = 1 + random.nextInt(ACCOUNTS - 10);
          join.setInt(1, from);
          join.setInt(2, from + 9);
          try (ResultSet rows = join.executeQuery()) {
            while (rows.next()) {
              rows.getLong(3);
            }
          }
          connection.commit();
          continue;
        }
        int a = 1 + random.nextInt(ACCOUNTS);
        int b = 1 + random.nextInt(ACCOUNTS - 1);
        b = b >= a ? b + 1 : b;
        long amount = 1 + random.nextInt(50);
        while (true) {
          try {
            // Rows in id order, so that two transfers never wait for each other in a cycle.
            update(Math.min(a, b) == a ? debit : credit, amount, Math.min(a, b));
            update(Math.min(a, b) == a ? credit : debit, amount, Math.max(a, b));
            audit.setInt(1, a);
            audit.setInt(2, b);
            audit.setLong(3, amount);
            audit.executeUpdate();
            connection.commit();
            transfers.incrementAndGet();
            break;
          } catch (SQLException e) {
            connection.rollback(); // a lock timeout or write conflict: retried
            retries.incrementAndGet();
          }
        }
      }
    }
  }

  private static void update(PreparedStatement statement, long amount, int id)
      throws SQLException {
    statement.setLong(1, amount);
    statement.setInt(2, id);
    statement.executeUpdate();
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }
}
