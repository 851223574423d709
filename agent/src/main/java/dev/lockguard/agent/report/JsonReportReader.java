package dev.lockguard.agent.report;

import dev.lockguard.report.OrderGraph;
import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Reads a {@code lockguard-report/1} JSON document back into a {@link Report}.
 *
 * <p>Fields the reader does not know are ignored, so that newer writers may add fields. Anything
 * else that is wrong (bad JSON, another schema, a missing field, a value of the wrong type) throws
 * a {@link ReportFormatException} with a one-line message naming the problem and where it is.
 */
public final class JsonReportReader {

  private final JsonParser parser;

  private JsonReportReader(JsonParser parser) {
    this.parser = parser;
  }

  /** Reads a report from JSON text; error messages carry no source name. */
  public static Report read(String json) {
    return read(json, null);
  }

  /** Reads a report from JSON text; error messages start with {@code source} (may be null). */
  public static Report read(String json, String source) {
    JsonParser parser = new JsonParser(json, source);
    return new JsonReportReader(parser).toReport(parser.parseDocument());
  }

  /**
   * Reads a report from a UTF-8 file; error messages start with the path as given.
   *
   * @throws IOException if the file cannot be read
   * @throws ReportFormatException if it is not valid UTF-8 or not a valid report
   */
  public static Report read(Path file) throws IOException {
    return read(decodeUtf8(Files.readAllBytes(file), file.toString()), file.toString());
  }

  private static String decodeUtf8(byte[] bytes, String source) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ReportFormatException(source + ": not a lockguard report: not UTF-8 text", e);
    }
  }

  private Report toReport(JsonNode root) {
    if (!(root.value() instanceof Map)) {
      throw parser.error(
          "not a lockguard report: expected a JSON object but found " + root.typeName());
    }
    checkSchema(fields(root, ""));
    return new Report(
        jvm(required(root, "", "jvm")),
        list(root, "", "violations", this::violation),
        stats(required(root, "", "stats")),
        fields(root, "").containsKey("graph")
            ? graph(required(root, "", "graph")) : OrderGraph.EMPTY);
  }

  private OrderGraph graph(JsonNode node) {
    String path = "graph";
    return new OrderGraph(
        list(node, path, "locks", this::graphLock),
        list(node, path, "edges", this::graphEdge),
        flag(node, path, "truncated"));
  }

  private OrderGraph.Lock graphLock(JsonNode node, String path) {
    return new OrderGraph.Lock(string(node, path, "name"), string(node, path, "type"),
        enumValue(node, path, "stands", OrderGraph.Stands.class));
  }

  private OrderGraph.Edge graphEdge(JsonNode node, String path) {
    return new OrderGraph.Edge(
        string(node, path, "from"),
        string(node, path, "to"),
        flag(node, path, "fromShared"),
        flag(node, path, "toShared"),
        string(node, path, "thread"),
        strings(node, path, "heldAt"),
        strings(node, path, "acquiredAt"));
  }

  /** An optional boolean field, false when absent. */
  private boolean flag(JsonNode node, String path, String field) {
    return fields(node, path).containsKey(field) && bool(node, path, field);
  }

  private void checkSchema(Map<String, JsonNode> root) {
    JsonNode schema = root.get("schema");
    if (schema == null) {
      throw parser.error("not a lockguard report: field \"schema\" is missing");
    }
    if (Report.SCHEMA.equals(schema.value())) {
      return;
    }
    String found =
        schema.value() instanceof String s ? JsonParser.quoteForMessage(s) : schema.typeName();
    String problem =
        found.startsWith("\"lockguard-report/")
            ? "unsupported lockguard report version"
            : "not a lockguard report";
    throw parser.error(
        problem + ": field \"schema\" is " + found + ", expected \"" + Report.SCHEMA + "\"");
  }

  private Report.JvmInfo jvm(JsonNode node) {
    String path = "jvm";
    return new Report.JvmInfo(
        integer(node, path, "pid"),
        string(node, path, "javaVersion"),
        string(node, path, "mainClass"),
        string(node, path, "startedAt"),
        fields(node, path).containsKey("workingDirectory")
            ? string(node, path, "workingDirectory") : "");
  }

  private Report.Stats stats(JsonNode node) {
    String path = "stats";
    return new Report.Stats(
        integer(node, path, "locksSeen"),
        integer(node, path, "edges"),
        integer(node, path, "acquisitions"),
        fields(node, path).containsKey("latchesSeen") ? integer(node, path, "latchesSeen") : 0);
  }

  private Violation violation(JsonNode node, String path) {
    Violation violation = new Violation(
        string(node, path, "id"),
        enumValue(node, path, "kind", Violation.Kind.class),
        enumValue(node, path, "severity", Violation.Severity.class),
        string(node, path, "message"),
        strings(node, path, "threads"),
        list(node, path, "locks", this::lock),
        list(node, path, "edges", this::edge),
        strings(node, path, "sites"),
        fields(node, path).containsKey("waiters")
            ? list(node, path, "waiters", this::waiter) : List.of());
    return violation
        .withObserved(flag(node, path, "observed"))
        .withConfirms(fields(node, path).containsKey("confirms")
            ? string(node, path, "confirms") : null)
        .withCounts(counts(node, path, violation.counts()))
        .withConfirmation(fields(node, path).containsKey("confirmation")
            ? confirmation(required(node, path, "confirmation"), join(path, "confirmation"))
            : null);
  }

  private Violation.Confirmation confirmation(JsonNode node, String path) {
    return new Violation.Confirmation(
        enumValue(node, path, "status", Violation.Confirmation.Status.class),
        (int) count(node, path, "attempts", 1, 1),
        (int) count(node, path, "edgesReached", 0, 0),
        (int) count(node, path, "edgesInCycle", 0, 0),
        fields(node, path).containsKey("witness")
            ? list(node, path, "witness", this::witness) : List.of());
  }

  private Violation.Confirmation.Witness witness(JsonNode node, String path) {
    return new Violation.Confirmation.Witness(string(node, path, "thread"),
        string(node, path, "held"), string(node, path, "wanted"), strings(node, path, "stack"));
  }

  /**
   * The counts of a finding; a report written before they existed saw each finding once, and a
   * missing count keeps its value in {@code once}.
   */
  private Violation.Counts counts(JsonNode node, String path, Violation.Counts once) {
    return new Violation.Counts(
        count(node, path, "occurrences", 1, once.occurrences()),
        count(node, path, "instanceCycles", 0, once.instanceCycles()),
        count(node, path, "threadsSeen", 0, once.threadsSeen()));
  }

  private long count(JsonNode node, String path, String field, long least, long absent) {
    if (!fields(node, path).containsKey(field)) {
      return absent;
    }
    long count = integer(node, path, field);
    if (count < least) {
      throw parser.errorAt(required(node, path, field).offset(),
          "field \"" + join(path, field) + "\" must be at least " + least + " but is " + count);
    }
    return count;
  }

  private Violation.WaiterRef waiter(JsonNode node, String path) {
    return new Violation.WaiterRef(
        string(node, path, "thread"), string(node, path, "latch"), strings(node, path, "stack"));
  }

  private Violation.LockRef lock(JsonNode node, String path) {
    return new Violation.LockRef(string(node, path, "name"), string(node, path, "type"));
  }

  private Violation.EdgeRef edge(JsonNode node, String path) {
    return new Violation.EdgeRef(
        string(node, path, "from"),
        string(node, path, "to"),
        string(node, path, "thread"),
        strings(node, path, "heldAt"),
        strings(node, path, "acquiredAt"),
        fields(node, path).containsKey("held") ? strings(node, path, "held") : List.of());
  }

  // --- typed access to fields; "path" is the JSON path of the object holding the field ---

  private String string(JsonNode object, String path, String field) {
    return asString(required(object, path, field), join(path, field));
  }

  private String asString(JsonNode node, String fieldPath) {
    if (node.value() instanceof String s) {
      return s;
    }
    throw wrongType(node, fieldPath, "a string");
  }

  private long integer(JsonNode object, String path, String field) {
    JsonNode node = required(object, path, field);
    String fieldPath = join(path, field);
    if (!(node.value() instanceof JsonNode.NumberText number)) {
      throw wrongType(node, fieldPath, "an integer");
    }
    try {
      return Long.parseLong(number.text());
    } catch (NumberFormatException e) {
      throw parser.errorAt(
          node.offset(),
          "field \"" + fieldPath + "\" must be an integer (64-bit) but is " + number.text());
    }
  }

  private boolean bool(JsonNode object, String path, String field) {
    JsonNode node = required(object, path, field);
    if (node.value() instanceof Boolean b) {
      return b;
    }
    throw wrongType(node, join(path, field), "a boolean");
  }

  private <E extends Enum<E>> E enumValue(
      JsonNode object, String path, String field, Class<E> type) {
    JsonNode node = required(object, path, field);
    String name = asString(node, join(path, field));
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        return constant;
      }
    }
    String valid =
        Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    throw parser.errorAt(
        node.offset(),
        "field \""
            + join(path, field)
            + "\" is "
            + JsonParser.quoteForMessage(name)
            + ", expected one of "
            + valid);
  }

  private List<String> strings(JsonNode object, String path, String field) {
    return list(object, path, field, this::asString);
  }

  private <T> List<T> list(
      JsonNode object, String path, String field, BiFunction<JsonNode, String, T> element) {
    JsonNode node = required(object, path, field);
    String fieldPath = join(path, field);
    if (!(node.value() instanceof List<?> elements)) {
      throw wrongType(node, fieldPath, "an array");
    }
    List<T> result = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      result.add(element.apply((JsonNode) elements.get(i), fieldPath + "[" + i + "]"));
    }
    return result;
  }

  private JsonNode required(JsonNode object, String path, String field) {
    JsonNode node = fields(object, path).get(field);
    if (node == null) {
      throw parser.errorAt(object.offset(), "missing field \"" + join(path, field) + "\"");
    }
    return node;
  }

  @SuppressWarnings("unchecked") // the parser puts only Map<String, JsonNode> values in nodes
  private Map<String, JsonNode> fields(JsonNode node, String path) {
    if (node.value() instanceof Map<?, ?> map) {
      return (Map<String, JsonNode>) map;
    }
    throw wrongType(node, path, "an object");
  }

  private ReportFormatException wrongType(JsonNode node, String fieldPath, String expected) {
    return parser.errorAt(
        node.offset(),
        "field \"" + fieldPath + "\" must be " + expected + " but is " + node.typeName());
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
