package dev.lockguard.agent.report;

import dev.lockguard.report.JsonReportWriter;
import java.util.List;
import java.util.Map;

/**
 * Writes a tree of maps, lists, strings, numbers and booleans as pretty-printed JSON, for the
 * renderings that are not a lockguard report (SARIF). Strings are escaped as the report writer
 * escapes them.
 */
final class JsonText {
  private JsonText() {}

  /** The value as JSON with a two-space indent, ending with a newline. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder(8192);
    append(out, value, 0);
    return out.append('\n').toString();
  }

  private static void append(StringBuilder out, Object value, int depth) {
    if (value instanceof Map<?, ?> map) {
      appendObject(out, map, depth);
    } else if (value instanceof List<?> list) {
      appendArray(out, list, depth);
    } else if (value instanceof String text) {
      JsonReportWriter.appendQuoted(out, text);
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value);
    }
  }

  private static void appendObject(StringBuilder out, Map<?, ?> map, int depth) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append('{');
    String separator = "";
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      out.append(separator);
      indent(out, depth + 1);
      JsonReportWriter.appendQuoted(out, (String) entry.getKey()).append(": ");
      append(out, entry.getValue(), depth + 1);
      separator = ",";
    }
    indent(out, depth);
    out.append('}');
  }

  private static void appendArray(StringBuilder out, List<?> list, int depth) {
    if (list.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    String separator = "";
    for (Object element : list) {
      out.append(separator);
      indent(out, depth + 1);
      append(out, element, depth + 1);
      separator = ",";
    }
    indent(out, depth);
    out.append(']');
  }

  private static void indent(StringBuilder out, int depth) {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }
}
