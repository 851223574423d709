package dev.lockguard.internal.core;


import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFiles;
import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Keeps the violations found so far, prints each new one on stderr and rewrites the JSON report.
 *
 * <p>The report is replaced atomically on every new violation, so a JVM killed right after one
 * still leaves a complete, valid file; a shutdown hook writes it once more with final counters. If
 * the report cannot be written, lockguard says so once and keeps printing violations on stderr:
 * nothing is lost.
 */
public final class Reporter {
  private static final ReentrantLock LOCK = new ReentrantLock();
  /** One finding per id, never downgraded; an equally severe re-report replaces the finding. */
  private static final Ledger<String, Violation> RECORDED = new Ledger<>(Ledger.Ties.REPLACE);
  private static final List<Consumer<Violation>> LISTENERS = new CopyOnWriteArrayList<>();
  private static volatile Report.JvmInfo jvm;
  private static boolean writeFailed;

  private Reporter() {}

  /** Writes the empty report and installs the exit hook; called once by the agent. */
  public static void start() {
    jvm = jvmInfo();
    writeReport();
    Thread hook = new Thread(Reporter::writeReport, "lockguard-report-at-exit");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Records a new finding. A finding with the id of one already recorded (the same code, so the
   * same bug) replaces it, as detectors re-report a finding they learned more about, unless it is
   * less severe: a report never downgrades ({@link Ledger}). Listeners hear of every finding, so
   * that a second test hitting the same bug fails too.
   */
  public static void report(Violation violation) {
    boolean stored;
    LOCK.lock();
    try {
      stored = RECORDED.admit(violation.id(), violation.severity(), violation);
      if (stored) {
        writeReport();
      }
    } finally {
      LOCK.unlock();
    }
    if (stored && !Config.current().quiet()) {
      System.err.print(TextReport.render(violation));
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

  public static List<Violation> violations() {
    return List.copyOf(RECORDED.values());
  }

  /** How many recorded violations have this id: one at most, by the ledger (for TestSupport). */
  public static int count(String id) {
    return RECORDED.contains(id) ? 1 : 0;
  }

  /** Drops the recorded violation with this id (for TestSupport). */
  public static void forget(String id) {
    RECORDED.remove(id);
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
      ReportFiles.writeAtomically(path, JsonReportWriter.toJson(snapshot()));
      writeFailed = false;
    } catch (IOException | RuntimeException e) {
      if (!writeFailed) {
        writeFailed = true;
        System.err.println("lockguard: cannot write the report to " + path + " (" + e
            + "); violations are printed on stderr only until it can be written."
            + " Fix: point report= at a writable file.");
      }
    } finally {
      LOCK.unlock();
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
