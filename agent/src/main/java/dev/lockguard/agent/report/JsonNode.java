package dev.lockguard.agent.report;

import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value and the offset in the text where it starts, kept for error messages.
 *
 * <p>{@code value} is a {@code Map<String, JsonNode>} (object, in document order), a {@code
 * List<JsonNode>} (array), a {@link String}, a {@link NumberText} (number, as written), a {@link
 * Boolean}, or {@code null}.
 */
record JsonNode(Object value, int offset) {

  /** A JSON number kept as its source text, so that no range is lost before it is converted. */
  record NumberText(String text) {}

  /** Names the JSON type of this value for messages: "an object", "a string", "null". */
  String typeName() {
    if (value instanceof Map) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof NumberText) {
      return "a number";
    } else if (value instanceof Boolean) {
      return "a boolean";
    }
    return "null";
  }
}
