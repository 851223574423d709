package dev.lockguard.report;

import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders violations for people, in the style of Linux lockdep.
 *
 * <p>A lock-order cycle shows the chain of locks, one pair of stacks per edge, and a table of the
 * interleaving that deadlocks. Names from the report (threads, locks, frames) are printed with
 * control characters escaped, so that a thread name cannot forge lines of the report. Whole
 * reports (a summary line, a Graphviz graph) are rendered by the report CLI in the agent jar,
 * off the boot class path.
 */
public final class TextReport {

  /** Where the first column's cells start; its header starts {@value #FIRST_HEADER_INDENT} in. */
  private static final int FIRST_CELL_INDENT = 2;

  private static final int FIRST_HEADER_INDENT = 7;

  /** The narrowest column of the scenario table, as wide as lockdep's CPU0 column. */
  private static final int MIN_COLUMN_WIDTH = 29;

  private static final int COLUMN_GAP = 4;

  private TextReport() {}

  /** Renders one violation as a block of lines ending with a newline. */
  public static String render(Violation violation) {
    StringBuilder out = new StringBuilder(1024);
    appendViolation(out, violation);
    return out.toString();
  }

  // --- one violation ---

  private static void appendViolation(StringBuilder out, Violation violation) {
    appendHeader(out, violation);
    List<EdgeRef> edges = orderAsChain(violation.edges());
    if (!edges.isEmpty()) {
      appendChain(out, edges);
      for (EdgeRef edge : edges) {
        appendEdge(out, violation.kind(), edge);
      }
    }
    if (showsScenario(violation.kind(), edges)) {
      appendScenario(out, edges);
    }
    appendWaiters(out, violation.waiters());
    appendLocks(out, violation.kind(), violation.locks());
    appendSites(out, violation.sites());
  }

  private static void appendWaiters(StringBuilder out, List<Violation.WaiterRef> waiters) {
    for (Violation.WaiterRef waiter : waiters) {
      out.append("\n thread \"")
          .append(printable(waiter.thread()))
          .append("\" (latch ")
          .append(printable(waiter.latch()))
          .append(") at:\n");
      appendFrames(out, "   ", waiter.stack());
    }
  }

  private static void appendHeader(StringBuilder out, Violation violation) {
    out.append("=== lockguard: ")
        .append(violation.kind().name())
        .append(" (")
        .append(violation.severity().name())
        .append(violation.confirmation() == null ? ""
            : ", " + violation.confirmation().status().name())
        .append(") [")
        .append(printable(violation.id()))
        .append("] ===\n")
        .append(printable(violation.message()))
        .append('\n');
    appendConfirmation(out, violation.confirmation());
    if (!violation.threads().isEmpty()) {
      out.append(" Threads: ");
      appendQuotedList(out, violation.threads());
      out.append('\n');
    }
    appendCounts(out, violation);
  }

  /**
   * What steering the schedule showed, right under the message: {@code CONFIRMED} with the
   * threads that met in the deadlocked state, or {@code NOT_REPRODUCED} with how far they got.
   */
  private static void appendConfirmation(StringBuilder out, Violation.Confirmation confirmation) {
    if (confirmation == null) {
      return;
    }
    out.append(' ').append(confirmationSummary(confirmation)).append('\n');
    for (Violation.Confirmation.Witness witness : confirmation.witness()) {
      out.append("   thread \"").append(printable(witness.thread())).append("\" held ")
          .append(printable(witness.held())).append(" and was taking ")
          .append(printable(witness.wanted())).append(" at:\n");
      appendFrames(out, "     ", witness.stack());
    }
  }

  /**
   * What steering showed, in one sentence that starts with the status: the text report's line
   * under the message, and the first words of the HTML and SARIF renderings.
   */
  public static String confirmationSummary(Violation.Confirmation confirmation) {
    String attempts = counted(confirmation.attempts(), "steered run");
    if (confirmation.status() == Violation.Confirmation.Status.CONFIRMED) {
      return "CONFIRMED on " + attempts + ": every thread held its lock and was about to take"
          + " the next one; lockguard stopped one of them before it blocked.";
    }
    return "NOT_REPRODUCED in " + attempts + ": at best " + confirmation.edgesReached() + " of "
        + confirmation.edgesInCycle() + " edges of the cycle were taken at once. Not seen in"
        + " this test; not proof that production cannot deadlock.";
  }

  /**
   * One line saying how often the finding was seen, when more than once: {@code Seen 8 times: 8
   * cycles of lock instances through this code, by 4 threads}.
   */
  private static void appendCounts(StringBuilder out, Violation violation) {
    Violation.Counts counts = violation.counts();
    if (counts.occurrences() < 2) {
      return;
    }
    out.append(" Seen ").append(counts.occurrences()).append(" times");
    if (violation.kind() == Kind.POTENTIAL_DEADLOCK) {
      out.append(": ").append(counted(counts.instanceCycles(), "cycle"))
          .append(" of lock instances through this code");
      if (counts.threadsSeen() > 0) {
        out.append(',');
      }
    }
    if (counts.threadsSeen() > 0) {
      out.append(" by ").append(counted(counts.threadsSeen(), "thread"));
    }
    out.append('\n');
  }

  private static String counted(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  private static void appendQuotedList(StringBuilder out, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      out.append(i == 0 ? "" : ", ").append('"').append(printable(names.get(i))).append('"');
    }
  }

  private static void appendChain(StringBuilder out, List<EdgeRef> edges) {
    out.append(isClosedCycle(edges) ? "\n Lock-order cycle:\n" : "\n Lock order:\n");
    out.append("   ").append(chain(edges)).append('\n');
  }

  /** Returns {@code A -> B -> A} for a chain of edges; a break in the chain is shown with ", ". */
  static String chain(List<EdgeRef> edges) {
    StringBuilder out = new StringBuilder(printable(edges.get(0).from()));
    EdgeRef previous = null;
    for (EdgeRef edge : edges) {
      if (previous != null && !previous.to().equals(edge.from())) {
        out.append(", ").append(printable(edge.from()));
      }
      out.append(" -> ").append(printable(edge.to()));
      previous = edge;
    }
    return out.toString();
  }

  private static void appendEdge(StringBuilder out, Kind kind, EdgeRef edge) {
    // A real deadlock's edges are waits that never finished, not acquisitions.
    String verb = kind == Kind.DEADLOCK ? "waits for " : "acquired ";
    String from = printable(edge.from());
    String to = printable(edge.to());
    out.append("\n thread \"")
        .append(printable(edge.thread()))
        .append("\" ")
        .append(verb)
        .append(to)
        .append(" while holding ")
        .append(from)
        .append(":\n");
    out.append("   held ").append(from).append(" at:\n");
    appendFrames(out, "     ", edge.heldAt());
    out.append("   ").append(verb).append(to).append(" at:\n");
    appendFrames(out, "     ", edge.acquiredAt());
    if (!edge.held().isEmpty()) {
      out.append("   locks held by \"").append(printable(edge.thread())).append("\" then: ");
      for (int i = 0; i < edge.held().size(); i++) {
        out.append(i == 0 ? "" : ", ").append(printable(edge.held().get(i)));
      }
      out.append('\n');
    }
  }

  private static void appendFrames(StringBuilder out, String indent, List<String> frames) {
    if (frames.isEmpty()) {
      out.append(indent).append("(no stack recorded)\n");
    }
    for (String frame : frames) {
      out.append(indent).append("at ").append(printable(frame)).append('\n');
    }
  }

  /**
   * The objects of the finding under a heading that says what they are: the locks of a cycle or
   * deadlock, the queue of an unsafe check, the latch that was reused.
   */
  private static void appendLocks(StringBuilder out, Kind kind, List<LockRef> locks) {
    if (locks.isEmpty()) {
      return;
    }
    int nameWidth = 0;
    for (LockRef lock : locks) {
      nameWidth = Math.max(nameWidth, printable(lock.name()).length());
    }
    out.append("\n ").append(heading(kind, locks.size())).append(":\n");
    for (LockRef lock : locks) {
      String name = printable(lock.name());
      out.append("   ").append(name);
      pad(out, nameWidth - name.length() + 2);
      out.append(printable(lock.type())).append('\n');
    }
  }

  private static String heading(Kind kind, int count) {
    return switch (kind) {
      case UNSAFE_QUEUE_CHECK -> count == 1 ? "Queue" : "Queues";
      case REUSED_LATCH -> count == 1 ? "Latch" : "Latches";
      case POTENTIAL_DEADLOCK, LOCK_ORDER_VIOLATION, DEADLOCK -> "Locks";
    };
  }

  private static void appendSites(StringBuilder out, List<String> sites) {
    if (!sites.isEmpty()) {
      out.append("\n Sites:\n");
      appendFrames(out, "   ", sites);
    }
  }

  // --- the "how this deadlocks" table ---

  private static boolean showsScenario(Kind kind, List<EdgeRef> edges) {
    boolean lockOrderKind = kind == Kind.POTENTIAL_DEADLOCK || kind == Kind.LOCK_ORDER_VIOLATION;
    return lockOrderKind && edges.size() >= 2 && isClosedCycle(edges) && columns(edges).size() >= 2;
  }

  /**
   * Appends lockdep's "possible unsafe locking scenario" with one column per thread.
   *
   * <p>Edges that one thread took in one nesting (it held the first edge's lock when it took the
   * second's: {@code A -> B} then {@code B -> C} holding A) are one column, which holds every lock
   * but the last before it asks for the last. Every column first takes the locks it holds, left to
   * right; then, right to left, each asks for the lock the next column holds. For two edges that
   * is exactly lockdep's table.
   */
  private static void appendScenario(StringBuilder out, List<EdgeRef> edges) {
    List<List<EdgeRef>> columns = columns(edges);
    List<String> labels = columnLabels(columns);
    List<String> cells = new ArrayList<>();
    List<Integer> cellColumn = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      for (EdgeRef edge : columns.get(i)) {
        cells.add("lock(" + printable(edge.from()) + ");");
        cellColumn.add(i);
      }
    }
    for (int i = columns.size() - 1; i >= 0; i--) {
      cells.add("lock(" + printable(last(columns.get(i)).to()) + ");");
      cellColumn.add(i);
    }
    int[] starts = columnStarts(labels, cells, cellColumn);
    out.append("\n Possible unsafe locking scenario:\n\n");
    appendHeaderRow(out, starts, labels);
    appendHeaderRow(out, starts, Collections.nCopies(columns.size(), "----"));
    for (int row = 0; row < cells.size(); row++) {
      pad(out, starts[cellColumn.get(row)]);
      out.append(cells.get(row)).append('\n');
    }
    appendSingleThreadNote(out, edges);
    out.append("\n *** DEADLOCK ***\n");
  }

  /**
   * The edges of a chain grouped by thread: an edge joins the previous one's column when the same
   * thread took it while holding the previous edge's lock (its {@code held} list names it).
   */
  static List<List<EdgeRef>> columns(List<EdgeRef> edges) {
    int size = edges.size();
    int start = 0; // a nesting may wrap around the end of the chain: start where it starts
    for (int steps = 0; steps < size
        && oneNesting(edges.get((start + size - 1) % size), edges.get(start)); steps++) {
      start = (start + size - 1) % size;
    }
    List<List<EdgeRef>> columns = new ArrayList<>();
    List<EdgeRef> current = null;
    for (int i = 0; i < size; i++) {
      EdgeRef edge = edges.get((start + i) % size);
      if (current != null && oneNesting(last(current), edge)) {
        current.add(edge);
      } else {
        current = new ArrayList<>();
        current.add(edge);
        columns.add(current);
      }
    }
    return columns;
  }

  private static boolean oneNesting(EdgeRef previous, EdgeRef next) {
    return previous.thread().equals(next.thread()) && previous.to().equals(next.from())
        && next.held().contains(previous.from());
  }

  /**
   * Labels columns by thread name, a thread's second column {@code name (again)}; when every edge
   * is one thread's, "Thread 1", "Thread 2" and a note say that it takes one thread per column.
   */
  private static List<String> columnLabels(List<List<EdgeRef>> columns) {
    List<String> labels = new ArrayList<>(columns.size());
    Set<String> seen = new HashSet<>();
    for (List<EdgeRef> column : columns) {
      String thread = column.get(0).thread();
      labels.add(printable(thread) + (seen.add(thread) ? "" : " (again)"));
    }
    if (seen.size() > 1 || columns.size() == 1) {
      return labels;
    }
    labels.clear();
    for (int i = 1; i <= columns.size(); i++) {
      labels.add("Thread " + i);
    }
    return labels;
  }

  /** Where each column's cells start; column 0's header starts further in, as in lockdep. */
  private static int[] columnStarts(List<String> labels, List<String> cells,
      List<Integer> cellColumn) {
    int[] widest = new int[labels.size()];
    for (int row = 0; row < cells.size(); row++) {
      int column = cellColumn.get(row);
      widest[column] = Math.max(widest[column], cells.get(row).length());
    }
    int[] starts = new int[labels.size()];
    starts[0] = FIRST_CELL_INDENT;
    for (int i = 1; i < starts.length; i++) {
      int previous = starts[i - 1];
      int headerEnd = headerStart(starts, i - 1) + labels.get(i - 1).length();
      int previousEnd = Math.max(headerEnd, previous + widest[i - 1]);
      starts[i] = Math.max(previous + MIN_COLUMN_WIDTH, previousEnd + COLUMN_GAP);
    }
    return starts;
  }

  private static int headerStart(int[] starts, int column) {
    return column == 0 ? FIRST_HEADER_INDENT : starts[column];
  }

  private static void appendHeaderRow(StringBuilder out, int[] starts, List<String> texts) {
    int lineStart = out.length();
    for (int i = 0; i < texts.size(); i++) {
      pad(out, headerStart(starts, i) - (out.length() - lineStart));
      out.append(texts.get(i));
    }
    out.append('\n');
  }

  private static void appendSingleThreadNote(StringBuilder out, List<EdgeRef> edges) {
    String thread = edges.get(0).thread();
    for (EdgeRef edge : edges) {
      if (!edge.thread().equals(thread)) {
        return;
      }
    }
    out.append("\n (every edge was seen in thread \"")
        .append(printable(thread))
        .append("\": one thread per column running this code at once would deadlock)\n");
  }

  // --- edges as a chain ---

  /**
   * Orders edges so that each one starts where the previous one ended, starting at the first.
   *
   * <p>Among candidates the earliest in the report wins, so edges already in cycle order (as the
   * detector writes them) keep their order even when two locks share a name.
   */
  static List<EdgeRef> orderAsChain(List<EdgeRef> edges) {
    List<EdgeRef> remaining = new ArrayList<>(edges);
    List<EdgeRef> ordered = new ArrayList<>(edges.size());
    while (!remaining.isEmpty()) {
      int next = ordered.isEmpty() ? 0 : indexOfEdgeFrom(remaining, last(ordered).to());
      ordered.add(remaining.remove(Math.max(next, 0)));
    }
    return ordered;
  }

  private static int indexOfEdgeFrom(List<EdgeRef> edges, String lock) {
    for (int i = 0; i < edges.size(); i++) {
      if (edges.get(i).from().equals(lock)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isClosedCycle(List<EdgeRef> edges) {
    for (int i = 1; i < edges.size(); i++) {
      if (!edges.get(i - 1).to().equals(edges.get(i).from())) {
        return false;
      }
    }
    return last(edges).to().equals(edges.get(0).from());
  }

  private static <T> T last(List<T> edges) {
    return edges.get(edges.size() - 1);
  }

  // --- text helpers ---

  private static void pad(StringBuilder out, int spaces) {
    for (int i = 0; i < spaces; i++) {
      out.append(' ');
    }
  }

  /**
   * Returns {@code text} with control characters, line separators and unpaired surrogates shown as
   * escapes ({@code \n}, {@code \}{@code u0007}): they would break lines or turn into '?' on
   * output. Public for the report CLI in the agent jar, which prints names from report files.
   */
  public static String printable(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      String escape = escapeAt(text, i);
      if (escape != null && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (escape != null) {
        out.append(escape);
      } else if (out != null) {
        out.append(text.charAt(i));
      }
    }
    return out == null ? text : out.toString();
  }

  private static String escapeAt(String text, int i) {
    char c = text.charAt(i);
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default ->
          Character.isISOControl(c) || JsonReportWriter.needsUnicodeEscape(text, i)
              ? unicodeEscape(c)
              : null;
    };
  }

  private static String unicodeEscape(char c) {
    return String.format("\\u%04X", (int) c);
  }
}
