package dev.lockguard.junit;

import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFiles;
import dev.lockguard.report.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Writes a test's or a class's own JSON report under the report directory.
 *
 * <p>One file per test, {@code DIR/fully.qualified.Class/method().json} (a parameterized or
 * repeated test adds the invocation, {@code method(int)-#2.json}), and {@code class.json} for a
 * class that failed on unattributed findings. The report has the schema of the agent's report:
 * this JVM, the test's findings, and the agent's counters so far.
 */
final class Reports {
  /** The report entry key under which each test publishes its report's path. */
  static final String REPORT_ENTRY = "lockguard.report";

  private static final Pattern SEGMENT = Pattern.compile("\\[([^:\\]]+):([^\\]]*)\\]");
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._$()#,\\[\\]-]");

  private Reports() {}

  /** Writes the report of the test of {@code context}; returns its path. */
  static Path writeTest(ExtensionContext context, List<Violation> violations) {
    return write(context, fileName(context.getUniqueId()), violations);
  }

  /** Writes the report of the class of {@code context}; returns its path. */
  static Path writeClass(ExtensionContext context, List<Violation> violations) {
    return write(context, "class.json", violations);
  }

  private static Path write(ExtensionContext context, String fileName, List<Violation> violations) {
    Path file = Configuration.reportDirectory(context)
        .resolve(context.getRequiredTestClass().getName()).resolve(fileName);
    Report now = dev.lockguard.LockGuard.report();
    String json = JsonReportWriter.toJson(new Report(now.jvm(), violations, now.stats()));
    try {
      Files.createDirectories(file.getParent());
      ReportFiles.writeAtomically(file, json);
    } catch (IOException e) {
      throw new ExtensionConfigurationException("lockguard: cannot write the JSON report " + file
          + " (" + e.getMessage() + "). Point the configuration parameter "
          + Configuration.REPORT_DIR + " at a writable directory.", e);
    }
    return file;
  }

  /**
   * The file name for a test: the parts of its unique id below the class, joined by {@code -},
   * with characters a file system may refuse replaced by {@code _}.
   */
  static String fileName(String uniqueId) {
    List<String> parts = new ArrayList<>();
    Matcher segment = SEGMENT.matcher(uniqueId);
    while (segment.find()) {
      String type = segment.group(1);
      if (type.equals("class") || type.equals("nested-class") || type.equals("engine")) {
        parts.clear();
      } else {
        parts.add(segment.group(2));
      }
    }
    String name = parts.isEmpty() ? "test" : String.join("-", parts);
    return UNSAFE.matcher(name).replaceAll("_") + ".json";
  }
}
