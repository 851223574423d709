package dev.lockguard.internal.core;

import dev.lockguard.report.JsonReportWriter;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

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
 * right after one still leaves a complete, valid file; a repeat that only adds to the counts is
 * written at most once a second, and a shutdown hook writes the report once more with final
 * counts. If the report cannot be written, lockguard says so once and keeps printing violations
 * on stderr: nothing is lost.
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
  private static boolean writeFailed;
  /**
   * The warning that the report cannot be written, printed once {@code LOCK} is released: a thread
   * printing under it could wait for {@code System.err}'s lock, held by an application thread
   * whose hook waits for {@code LOCK} (a {@code printf} argument taking a lock).
   */
  private static final AtomicReference<String> UNSAID = new AtomicReference<>();
  private static long lastWriteNanos;

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
      return counts.equals(shown.counts()) ? shown : shown.withCounts(counts);
    }
  }

  /** Writes the empty report and installs the exit hook; called once by the agent. */
  public static void start() {
    jvm = jvmInfo();
    writeReport();
    Thread hook = new Thread(Reporter::writeReport, "lockguard-report-at-exit");
    Runtime.getRuntime().addShutdownHook(hook);
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
      if (RECORDED.admit(violation.id(), violation.severity(), recorded)) {
        printed = recorded.violation();
      }
      if (isNew || replaced || System.nanoTime() - lastWriteNanos > COUNT_WRITE_INTERVAL_NANOS) {
        writeReport();
      }
    } finally {
      LOCK.unlock();
    }
    sayWriteFailure();
    if (printed != null && !Config.current().quiet()) {
      System.err.print(TextReport.render(printed));
      System.err.flush();
    }
    for (Consumer<Violation> listener : LISTENERS) {
      try {
        listener.accept(violation);
      } catch (RuntimeException e) {
        Faults.hookFailed(e);
      }
    }
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
    return new Report(info, violations(), Statistics.snapshot());
  }

  private static void writeReport() {
    Path path = Config.current().reportPath();
    if (path == null) {
      return;
    }
    LOCK.lock();
    try {
      lastWriteNanos = System.nanoTime();
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
      LOCK.unlock();
    }
    if (!LOCK.isHeldByCurrentThread()) {
      sayWriteFailure();
    }
  }

  /** Prints the warning {@link #writeReport} left, outside {@code LOCK}. */
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
    return new Report.JvmInfo(
        self.pid(), System.getProperty("java.version", "unknown"), mainClass, started);
  }
}
