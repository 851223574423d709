package dev.lockguard.internal.core;

import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.OrderGraph;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFiles;
import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps the violations found so far, prints each on stderr once (and again only when it turns
 * more severe), counts its repeats and rewrites the JSON report.
 *
 * <p>One bug is one finding: detectors report the same bug again under the same id (the same code
 * over other lock instances, a second thread, a race observed where it was only possible). The
 * report folds every such report into one finding, which shows the worst of them ({@link
 * Violation#isWorseThan}: more severe, or as severe and observed) and counts the rest ({@link
 * Violation.Counts}). Stderr follows the {@link Ledger} rule: a finding is printed when first
 * found and again only at a higher severity, never twice at one severity; the JSON keeps the
 * stronger finding also when only its evidence grew (an observed race over a possible one).
 *
 * <p>The report is replaced atomically whenever a finding is new or grows worse, so a JVM killed
 * soon after one still leaves a complete, valid file; a repeat that only adds to the counts is
 * written at most once a second, and a shutdown hook writes the report once more with final
 * counts. If the report cannot be written, lockguard says so once and keeps printing violations
 * on stderr: nothing is lost.
 *
 * <p>Record first, render later: the thread that found a violation usually holds the
 * application's locks, and others (a transaction reaper, a pool's housekeeper) may be waiting
 * for them, timing how long. So {@link #report} only records the finding and tells the
 * listeners; the text on stderr and the file (rendered, written and forced to disk) come from
 * the daemon {@code lockguard-reporter}, in the order found, and the shutdown hook prints what
 * it has not printed yet before the last write. The reporting thread itself makes sure of both
 * once it holds no lock ({@link #settle}), so that a JVM killed right after still leaves the
 * finding in the file. A thread that holds no lock when it reports, and every thread before
 * {@link #start} (unit tests, a library without the agent), prints and writes in place.
 */
public final class Reporter {
  /**
   * Distinct thread names counted per finding at most, so that a program that names a thread per
   * task cannot grow the set without bound.
   */
  static final int MAX_THREAD_NAMES = 1024;

  private static final long COUNT_WRITE_INTERVAL_NANOS = 1_000_000_000L;
  private static final ReentrantLock LOCK = new ReentrantLock();
  /** One finding per id, admitted again (printed) only when more severe. Guarded by LOCK. */
  private static final Ledger<String, Recorded> RECORDED = new Ledger<>();
  private static final List<Consumer<Violation>> LISTENERS = new CopyOnWriteArrayList<>();
  private static volatile Report.JvmInfo jvm;
  /** Orders the report file's writes. Taken before LOCK (for the snapshot), never under it. */
  private static final ReentrantLock FILE = new ReentrantLock();
  private static volatile boolean writeFailed;
  /**
   * The warning that the report cannot be written, printed once the file's lock is released: a
   * thread printing under it could wait for {@code System.err}'s lock, held by an application
   * thread that waits for the report (a {@code printf} argument taking a lock).
   */
  private static final AtomicReference<String> UNSAID = new AtomicReference<>();
  /** Exports the lock-order graph; the lock-order detector registers it at start. */
  private static volatile Supplier<OrderGraph> graphSource = () -> OrderGraph.EMPTY;
  /** The graph the report carries: exported at exit, for merging reports across JVMs. */
  private static volatile OrderGraph graph = OrderGraph.EMPTY;
  /** When the report was last due for a rewrite. Guarded by LOCK. */
  private static long lastWriteNanos;
  /** Findings to print on stderr, in the order found; printed by whoever holds OUTPUT. */
  private static final Queue<Violation> TO_PRINT = new ConcurrentLinkedQueue<>();
  /** Orders the prints of the daemon and of the shutdown hook. */
  private static final ReentrantLock OUTPUT = new ReentrantLock();
  /** Counts the report file's rewrites that came due (guarded by LOCK for writes). */
  private static volatile long dueWrites;
  /** The {@link #dueWrites} the last finished rewrite covered. */
  private static volatile long doneWrites;
  /** The daemon that prints and writes, once {@link #start} started it; else null. */
  private static volatile Thread writer;

  private Reporter() {}

  /** One finding as the report keeps it: the worst report of it, and how often it came. */
  private static final class Recorded {
    private Violation shown;
    private long occurrences;
    private long instanceCycles;
    private final Set<String> threads = new HashSet<>();

    Recorded(Violation first) {
      shown = first;
    }

    /** Counts {@code report}; returns whether it replaced the finding shown. */
    boolean add(Violation report) {
      occurrences += report.counts().occurrences();
      instanceCycles += report.counts().instanceCycles();
      for (String thread : report.threads()) {
        if (threads.size() < MAX_THREAD_NAMES) {
          threads.add(thread);
        }
      }
      if (report.isWorseThan(shown)) {
        shown = report;
        return true;
      }
      return false;
    }

    /** The finding shown, with the counts of every report of it (itself if seen once). */
    Violation violation() {
      Violation.Counts counts = new Violation.Counts(occurrences, instanceCycles, threads.size());
      Violation.Counts had = shown.counts();
      // Compared field by field: a record's equals is bootstrapped through method handles on its
      // first call, tens of milliseconds in the thread that reports the first finding.
      boolean same = had.occurrences() == counts.occurrences()
          && had.instanceCycles() == counts.instanceCycles() && had.threadsSeen() == counts.threadsSeen();
      return same ? shown : shown.withCounts(counts);
    }
  }

  /** Writes the empty report and installs the exit hook; called once by the agent. */
  public static void start() {
    jvm = jvmInfo();
    writeReport();
    Thread daemon = new Thread(Reporter::writeLater, "lockguard-reporter");
    daemon.setDaemon(true);
    daemon.start();
    writer = daemon;
    Thread hook = new Thread(Reporter::finish, "lockguard-report-at-exit");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The daemon's loop: waits to be woken by a report, then prints and writes what is due. */
  private static void writeLater() {
    PerThread.current().busy = true; // lockguard's own work: no hook may watch it
    while (true) {
      LockSupport.park();
      try {
        flush();
      } catch (RuntimeException | Error e) {
        Faults.hookFailed(e);
      }
    }
  }

  /**
   * At exit: what the daemon has not printed yet, then the report with its final counts and the
   * lock-order graph.
   */
  private static void finish() {
    PerThread.current().busy = true;
    printPending();
    writeFinalReport();
  }

  /**
   * Prints the findings not yet printed, then rewrites the report if a rewrite came due that no
   * finished rewrite covers; waits for a rewrite in progress rather than skip it, so that the
   * file covers every finding recorded before the call when it returns.
   */
  private static void flush() {
    printPending();
    if (doneWrites < dueWrites) {
      FILE.lock();
      try {
        if (doneWrites < dueWrites) {
          writeReport();
        }
      } finally {
        FILE.unlock();
      }
    }
  }

  /**
   * Called by a thread that reported a finding while it held locks, once it holds none: the
   * finding is printed and in the report file before the thread goes on, as it was when reports
   * were written in place, but no other thread waited for it.
   */
  public static void settle(PerThread thread) {
    thread.reportPending = false;
    boolean busy = thread.busy;
    thread.busy = true;
    try {
      flush();
    } catch (RuntimeException | Error e) {
      Faults.hookFailed(e);
    } finally {
      thread.busy = busy;
    }
  }

  private static void printPending() {
    OUTPUT.lock();
    try {
      for (Violation violation; (violation = TO_PRINT.poll()) != null; ) {
        if (!Config.current().quiet()) {
          System.err.print(TextReport.render(violation));
          System.err.flush();
        }
      }
    } finally {
      OUTPUT.unlock();
    }
  }

  /**
   * Lets {@code source} export the lock-order graph that the final report carries (the lock-order
   * detector registers its graph at start, as it does with {@link LockNames#nameByIdentity}).
   */
  public static void graphFrom(Supplier<OrderGraph> source) {
    graphSource = source;
  }

  /**
   * The exit hook's write: the report with the lock-order graph. The graph is exported before the
   * report's lock is taken, so that the graph's lock is never taken inside it.
   */
  static void writeFinalReport() {
    try {
      graph = graphSource.get();
    } catch (RuntimeException e) {
      Faults.hookFailed(e); // the report still goes out, without the graph
    }
    writeReport();
  }

  /**
   * Records a finding: a new one is printed on stderr and written to the report; a report of one
   * already recorded (same id: the same code, so the same bug) is counted, and printed again only
   * if it is more severe than every earlier report of it. Listeners hear of every report, so that
   * a second test hitting the same bug fails too.
   */
  public static void report(Violation violation) {
    Violation printed = null;
    LOCK.lock();
    try {
      Recorded recorded = RECORDED.get(violation.id());
      boolean isNew = recorded == null;
      if (isNew) {
        recorded = new Recorded(violation);
      }
      boolean replaced = recorded.add(violation);
      if (RECORDED.admit(violation.id(), violation.severity(), recorded)
          || replaced && confirmed(violation)) {
        printed = recorded.violation(); // a confirmation is news even at the same severity
      }
      if (printed != null) {
        TO_PRINT.add(printed);
      }
      if (isNew || replaced || System.nanoTime() - lastWriteNanos > COUNT_WRITE_INTERVAL_NANOS) {
        lastWriteNanos = System.nanoTime(); // due now: repeats within a second only add counts
        dueWrites++;
      }
    } finally {
      LOCK.unlock();
    }
    Thread daemon = writer;
    PerThread self = PerThread.current();
    if (daemon == null || self.lockset.size() == 0) {
      flush(); // no lock of the application's is held: nobody waits for this thread
    } else {
      self.reportPending = true; // settled when the thread lets go of its last lock
      LockSupport.unpark(daemon);
    }
    for (Consumer<Violation> listener : LISTENERS) {
      try {
        listener.accept(violation);
      } catch (RuntimeException e) {
        Faults.hookFailed(e);
      }
    }
  }

  private static boolean confirmed(Violation violation) {
    return violation.confirmation() != null
        && violation.confirmation().status() == Violation.Confirmation.Status.CONFIRMED;
  }

  /** The findings recorded so far, in the order they were first found, with their counts. */
  public static List<Violation> violations() {
    LOCK.lock();
    try {
      List<Violation> violations = new ArrayList<>();
      for (Recorded recorded : RECORDED.values()) {
        violations.add(recorded.violation());
      }
      return violations;
    } finally {
      LOCK.unlock();
    }
  }

  /** How many recorded violations have this id: one at most, by the ledger (for TestSupport). */
  public static int count(String id) {
    return RECORDED.contains(id) ? 1 : 0;
  }

  /** Drops the recorded violation with this id (for TestSupport). */
  public static void forget(String id) {
    LOCK.lock();
    try {
      RECORDED.remove(id);
    } finally {
      LOCK.unlock();
    }
  }

  /** Forgets every recorded violation and listener (unit tests only). */
  public static void reset() {
    LOCK.lock();
    try {
      RECORDED.clear();
      writeFailed = false;
      graph = OrderGraph.EMPTY;
    } finally {
      LOCK.unlock();
    }
    LISTENERS.clear();
  }

  public static void addListener(Consumer<Violation> listener) {
    LISTENERS.add(listener);
  }

  public static void removeListener(Consumer<Violation> listener) {
    LISTENERS.remove(listener);
  }

  public static Report snapshot() {
    Report.JvmInfo info = jvm;
    if (info == null) {
      info = jvmInfo();
      jvm = info;
    }
    return new Report(info, violations(), Statistics.snapshot(), graph);
  }

  private static void writeReport() {
    Path path = Config.current().reportPath();
    if (path == null) {
      doneWrites = dueWrites; // nothing to write
      return;
    }
    // Not under LOCK: rendering and forcing the file to disk can take long, and a thread that
    // reports meanwhile must not wait for them (it may hold the application's locks).
    FILE.lock();
    long covered = dueWrites; // read before the snapshot: the snapshot has what it counted
    try {
      ReportFiles.writeAtomically(path, JsonReportWriter.toJson(snapshot()));
      writeFailed = false;
    } catch (IOException | RuntimeException e) {
      if (!writeFailed) {
        writeFailed = true;
        UNSAID.set("lockguard: cannot write the report to " + path + " (" + e
            + "); violations are printed on stderr only until it can be written."
            + " Fix: point report= at a writable file.");
      }
    } finally {
      doneWrites = Math.max(doneWrites, covered); // a failed write is not retried until the next
      FILE.unlock();
    }
    sayWriteFailure();
  }

  /** Prints the warning {@link #writeReport} left, outside the report's locks. */
  private static void sayWriteFailure() {
    String warning = UNSAID.getAndSet(null);
    if (warning != null) {
      System.err.println(warning);
    }
  }

  private static Report.JvmInfo jvmInfo() {
    ProcessHandle self = ProcessHandle.current();
    String started = self.info().startInstant().map(Instant::toString).orElse(Instant.now().toString());
    String command = System.getProperty("sun.java.command", "");
    String mainClass = command.isEmpty() ? "unknown" : command.split(" ", 2)[0];
    return new Report.JvmInfo(self.pid(), System.getProperty("java.version", "unknown"),
        mainClass, started, System.getProperty("user.dir", ""));
  }
}
