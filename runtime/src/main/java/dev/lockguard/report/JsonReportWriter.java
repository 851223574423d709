package dev.lockguard.report;

import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link Report} as a {@code lockguard-report/1} JSON document.
 *
 * <p>The output is pretty-printed with a two-space indent and ends with a newline. It touches only
 * the report's strings, numbers and enum names, never {@code toString()} or {@code hashCode()} of
 * other objects. This is not a hot path: it allocates freely.
 */
public final class JsonReportWriter {

  private JsonReportWriter() {}

  /** Returns the report as pretty-printed JSON. */
  public static String toJson(Report report) {
    PrettyJson json = new PrettyJson(new StringBuilder(2048));
    writeReport(json, report);
    return json.finish();
  }

  /**
   * Appends {@code text} as a quoted JSON string.
   *
   * <p>Quotes and backslashes are escaped, and so are control characters, U+2028/U+2029 (which
   * break JavaScript) and unpaired surrogates (which no UTF-8 file can hold), all as {@code
   * \}{@code uXXXX}, so every string survives a trip through a UTF-8 file unchanged. Public for
   * the report reader in the agent jar, which quotes values from a document in its messages.
   */
  public static StringBuilder appendQuoted(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (needsUnicodeEscape(text, i)) {
        appendUnicodeEscape(out, c);
      } else {
        out.append(c);
      }
    }
    return out.append('"');
  }

  /** Whether the char at {@code i} is a control, a line separator or an unpaired surrogate. */
  static boolean needsUnicodeEscape(String text, int i) {
    char c = text.charAt(i);
    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    String hex = Integer.toHexString(c).toUpperCase(Locale.ROOT);
    out.append("\\u");
    for (int pad = hex.length(); pad < 4; pad++) {
      out.append('0');
    }
    out.append(hex);
  }

  private static void writeReport(PrettyJson json, Report report) {
    json.beginObject();
    json.name("schema").value(Report.SCHEMA);
    json.name("jvm");
    writeJvm(json, report.jvm());
    json.name("violations").beginArray();
    for (Violation violation : report.violations()) {
      writeViolation(json, violation);
    }
    json.endArray();
    json.name("stats");
    writeStats(json, report.stats());
    if (!report.graph().isEmpty()) {
      json.name("graph");
      writeGraph(json, report.graph());
    }
    json.endObject();
  }

  /** The lock-order graph, written only when there is one, so that other reports read as before. */
  private static void writeGraph(PrettyJson json, OrderGraph graph) {
    json.beginObject();
    json.name("locks").beginArray();
    for (OrderGraph.Lock lock : graph.locks()) {
      json.beginObject();
      json.name("name").value(lock.name());
      json.name("type").value(lock.type());
      json.name("stands").value(lock.stands().name());
      json.endObject();
    }
    json.endArray();
    json.name("edges").beginArray();
    for (OrderGraph.Edge edge : graph.edges()) {
      json.beginObject();
      json.name("from").value(edge.from());
      json.name("to").value(edge.to());
      if (edge.fromShared()) {
        json.name("fromShared").value(true);
      }
      if (edge.toShared()) {
        json.name("toShared").value(true);
      }
      json.name("thread").value(edge.thread());
      json.name("heldAt");
      writeStrings(json, edge.heldAt());
      json.name("acquiredAt");
      writeStrings(json, edge.acquiredAt());
      json.endObject();
    }
    json.endArray();
    if (graph.truncated()) {
      json.name("truncated").value(true);
    }
    json.endObject();
  }

  private static void writeJvm(PrettyJson json, Report.JvmInfo jvm) {
    json.beginObject();
    json.name("pid").value(jvm.pid());
    json.name("javaVersion").value(jvm.javaVersion());
    json.name("mainClass").value(jvm.mainClass());
    json.name("startedAt").value(jvm.startedAt());
    if (!jvm.workingDirectory().isEmpty()) {
      json.name("workingDirectory").value(jvm.workingDirectory());
    }
    json.endObject();
  }

  private static void writeViolation(PrettyJson json, Violation violation) {
    json.beginObject();
    json.name("id").value(violation.id());
    json.name("kind").value(violation.kind().name());
    json.name("severity").value(violation.severity().name());
    json.name("message").value(violation.message());
    writeCounts(json, violation);
    json.name("threads");
    writeStrings(json, violation.threads());
    json.name("locks").beginArray();
    for (Violation.LockRef lock : violation.locks()) {
      writeLock(json, lock);
    }
    json.endArray();
    json.name("edges").beginArray();
    for (Violation.EdgeRef edge : violation.edges()) {
      writeEdge(json, edge);
    }
    json.endArray();
    json.name("sites");
    writeStrings(json, violation.sites());
    if (!violation.waiters().isEmpty()) {
      json.name("waiters").beginArray();
      for (Violation.WaiterRef waiter : violation.waiters()) {
        writeWaiter(json, waiter);
      }
      json.endArray();
    }
    if (violation.confirmation() != null) {
      writeConfirmation(json, violation.confirmation());
    }
    json.endObject();
  }

  private static void writeConfirmation(PrettyJson json, Violation.Confirmation confirmation) {
    json.name("confirmation").beginObject();
    json.name("status").value(confirmation.status().name());
    json.name("attempts").value(confirmation.attempts());
    json.name("edgesReached").value(confirmation.edgesReached());
    json.name("edgesInCycle").value(confirmation.edgesInCycle());
    json.name("witness").beginArray();
    for (Violation.Confirmation.Witness witness : confirmation.witness()) {
      json.beginObject();
      json.name("thread").value(witness.thread());
      json.name("held").value(witness.held());
      json.name("wanted").value(witness.wanted());
      json.name("stack");
      writeStrings(json, witness.stack());
      json.endObject();
    }
    json.endArray();
    json.endObject();
  }

  /**
   * How often the finding was seen; {@code instanceCycles} only for lock-order cycles, and
   * {@code observed} only when true and {@code confirms} only when set, so that other findings
   * read as they did before.
   */
  private static void writeCounts(PrettyJson json, Violation violation) {
    Violation.Counts counts = violation.counts();
    if (violation.observed()) {
      json.name("observed").value(true);
    }
    if (violation.confirms() != null) {
      json.name("confirms").value(violation.confirms());
    }
    json.name("occurrences").value(counts.occurrences());
    if (violation.kind() == Violation.Kind.POTENTIAL_DEADLOCK) {
      json.name("instanceCycles").value(counts.instanceCycles());
    }
    json.name("threadsSeen").value(counts.threadsSeen());
  }

  private static void writeWaiter(PrettyJson json, Violation.WaiterRef waiter) {
    json.beginObject();
    json.name("thread").value(waiter.thread());
    json.name("latch").value(waiter.latch());
    json.name("stack");
    writeStrings(json, waiter.stack());
    json.endObject();
  }

  private static void writeLock(PrettyJson json, Violation.LockRef lock) {
    json.beginObject();
    json.name("name").value(lock.name());
    json.name("type").value(lock.type());
    json.endObject();
  }

  private static void writeEdge(PrettyJson json, Violation.EdgeRef edge) {
    json.beginObject();
    json.name("from").value(edge.from());
    json.name("to").value(edge.to());
    json.name("thread").value(edge.thread());
    json.name("heldAt");
    writeStrings(json, edge.heldAt());
    json.name("acquiredAt");
    writeStrings(json, edge.acquiredAt());
    json.name("held");
    writeStrings(json, edge.held());
    json.endObject();
  }

  private static void writeStats(PrettyJson json, Report.Stats stats) {
    json.beginObject();
    json.name("locksSeen").value(stats.locksSeen());
    json.name("edges").value(stats.edges());
    json.name("acquisitions").value(stats.acquisitions());
    json.name("latchesSeen").value(stats.latchesSeen());
    json.endObject();
  }

  private static void writeStrings(PrettyJson json, List<String> strings) {
    json.beginArray();
    for (String s : strings) {
      json.value(s);
    }
    json.endArray();
  }

  /**
   * A minimal pretty-printing JSON emitter: one element per line, two-space indent, {@code []} and
   * {@code {}} for empty containers.
   */
  private static final class PrettyJson {
    private final StringBuilder out;
    private int depth;
    private boolean containerHasElements;
    private boolean valueFollowsName;

    PrettyJson(StringBuilder out) {
      this.out = out;
    }

    PrettyJson beginObject() {
      return begin('{');
    }

    PrettyJson endObject() {
      return end('}');
    }

    PrettyJson beginArray() {
      return begin('[');
    }

    PrettyJson endArray() {
      return end(']');
    }

    PrettyJson name(String name) {
      startElement();
      appendQuoted(out, name).append(": ");
      valueFollowsName = true;
      return this;
    }

    PrettyJson value(String value) {
      startValue();
      appendQuoted(out, value);
      return this;
    }

    PrettyJson value(long value) {
      startValue();
      out.append(value);
      return this;
    }

    PrettyJson value(boolean value) {
      startValue();
      out.append(value);
      return this;
    }

    String finish() {
      return out.append('\n').toString();
    }

    private PrettyJson begin(char open) {
      startValue();
      out.append(open);
      depth++;
      containerHasElements = false;
      return this;
    }

    private PrettyJson end(char close) {
      depth--;
      if (containerHasElements) {
        newLineAndIndent();
      }
      out.append(close);
      // The enclosing container now holds at least the container just closed.
      containerHasElements = true;
      return this;
    }

    private void startValue() {
      if (valueFollowsName) {
        valueFollowsName = false;
      } else {
        startElement();
      }
    }

    private void startElement() {
      if (depth == 0) {
        return;
      }
      if (containerHasElements) {
        out.append(',');
      }
      newLineAndIndent();
      containerHasElements = true;
    }

    private void newLineAndIndent() {
      out.append('\n');
      for (int i = 0; i < depth; i++) {
        out.append("  ");
      }
    }
  }
}
