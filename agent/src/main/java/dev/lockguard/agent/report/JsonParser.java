package dev.lockguard.agent.report;

import dev.lockguard.report.JsonReportWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) that turns text into {@link JsonNode}s.
 *
 * <p>Errors are {@link ReportFormatException}s that name the line and column. Nesting is limited
 * to {@value #MAX_DEPTH} levels so that hostile input fails with a message, not a {@link
 * StackOverflowError}.
 */
final class JsonParser {

  static final int MAX_DEPTH = 512;

  private final String text;
  private final String source;
  private int pos;
  private int depth;

  /** Creates a parser for {@code text}; {@code source} (may be null) prefixes error messages. */
  JsonParser(String text, String source) {
    this.text = text;
    this.source = source;
  }

  /** Parses the whole text as one JSON value, with nothing but whitespace after it. */
  JsonNode parseDocument() {
    skipByteOrderMark();
    skipWhitespace();
    if (pos == text.length()) {
      throw new ReportFormatException(prefix() + "the input is empty");
    }
    JsonNode node = parseValue();
    skipWhitespace();
    if (pos < text.length()) {
      throw errorAt(pos, "expected end of input but found " + describeAt(pos));
    }
    return node;
  }

  /** Builds an error naming the source, the line and column of {@code offset}, and the problem. */
  ReportFormatException errorAt(int offset, String problem) {
    return new ReportFormatException(prefix() + position(offset) + ": " + problem);
  }

  /** Builds an error naming the source and the problem, for problems of the whole document. */
  ReportFormatException error(String problem) {
    return new ReportFormatException(prefix() + problem);
  }

  private String prefix() {
    return source == null ? "" : source + ": ";
  }

  private String position(int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (offset - lineStart + 1);
  }

  private void skipByteOrderMark() {
    if (text.startsWith("\uFEFF")) {
      pos = 1;
    }
  }

  private JsonNode parseValue() {
    int start = pos;
    if (pos == text.length()) {
      throw errorAt(pos, "expected a value but found end of input");
    }
    char c = text.charAt(pos);
    Object value =
        switch (c) {
          case '{' -> parseObject();
          case '[' -> parseArray();
          case '"' -> parseString();
          case 't' -> parseLiteral("true", Boolean.TRUE);
          case 'f' -> parseLiteral("false", Boolean.FALSE);
          case 'n' -> parseLiteral("null", null);
          default -> parseNumberOrFail(c);
        };
    return new JsonNode(value, start);
  }

  private JsonNode.NumberText parseNumberOrFail(char c) {
    if (c == '-' || isDigit(c)) {
      return parseNumber();
    }
    throw errorAt(pos, "expected a value but found " + describeAt(pos));
  }

  private Map<String, JsonNode> parseObject() {
    enterContainer();
    pos++; // '{'
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    skipWhitespace();
    if (peekIs('}')) {
      pos++;
      depth--;
      return fields;
    }
    do {
      skipWhitespace();
      parseField(fields);
      skipWhitespace();
    } while (consumeSeparator('}'));
    depth--;
    return fields;
  }

  private void parseField(Map<String, JsonNode> fields) {
    int keyStart = pos;
    if (!peekIs('"')) {
      throw errorAt(pos, "expected a field name in quotes but found " + describeAt(pos));
    }
    String key = parseString();
    if (fields.containsKey(key)) {
      throw errorAt(keyStart, "duplicate field " + quoteForMessage(key));
    }
    skipWhitespace();
    expect(':');
    skipWhitespace();
    fields.put(key, parseValue());
  }

  private List<JsonNode> parseArray() {
    enterContainer();
    pos++; // '['
    List<JsonNode> elements = new ArrayList<>();
    skipWhitespace();
    if (peekIs(']')) {
      pos++;
      depth--;
      return elements;
    }
    do {
      skipWhitespace();
      elements.add(parseValue());
      skipWhitespace();
    } while (consumeSeparator(']'));
    depth--;
    return elements;
  }

  private void enterContainer() {
    if (++depth > MAX_DEPTH) {
      throw errorAt(pos, "nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  /** Consumes ',' (returns true: another element follows) or {@code close} (returns false). */
  private boolean consumeSeparator(char close) {
    if (peekIs(',')) {
      pos++;
      return true;
    }
    if (peekIs(close)) {
      pos++;
      return false;
    }
    throw errorAt(pos, "expected ',' or '" + close + "' but found " + describeAt(pos));
  }

  private String parseString() {
    int start = pos;
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos == text.length()) {
        throw errorAt(start, "string is not closed before the end of input");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return out.toString();
      } else if (c == '\\') {
        parseEscape(out);
      } else if (c < 0x20) {
        throw errorAt(pos, "control character " + codePoint(c) + " in a string must be escaped");
      } else {
        out.append(c);
        pos++;
      }
    }
  }

  private void parseEscape(StringBuilder out) {
    int start = pos;
    pos++; // backslash
    if (pos == text.length()) {
      throw errorAt(start, "string is not closed before the end of input");
    }
    char c = text.charAt(pos++);
    switch (c) {
      case '"', '\\', '/' -> out.append(c);
      case 'b' -> out.append('\b');
      case 'f' -> out.append('\f');
      case 'n' -> out.append('\n');
      case 'r' -> out.append('\r');
      case 't' -> out.append('\t');
      case 'u' -> out.append(parseHexChar(start));
      default -> throw errorAt(start, "invalid escape " + describeAt(start, 2) + " in a string");
    }
  }

  private char parseHexChar(int escapeStart) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = pos + i < text.length() ? hexValue(text.charAt(pos + i)) : -1;
      if (digit < 0) {
        String found = describeAt(escapeStart, 6);
        throw errorAt(escapeStart, "\\u escape needs four hex digits but found " + found);
      }
      value = value * 16 + digit;
    }
    pos += 4;
    return (char) value;
  }

  /** The value of an ASCII hex digit, or -1 ({@link Character#digit} also accepts non-ASCII). */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    } else if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private Object parseLiteral(String literal, Object value) {
    if (!text.startsWith(literal, pos)) {
      throw errorAt(pos, "expected a value but found " + describeAt(pos, literal.length()));
    }
    pos += literal.length();
    return value;
  }

  private JsonNode.NumberText parseNumber() {
    int start = pos;
    if (peekIs('-')) {
      pos++;
    }
    if (peekIs('0')) {
      pos++;
    } else {
      digits("a digit");
    }
    if (peekIs('.')) {
      pos++;
      digits("a digit after '.'");
    }
    if (peekIs('e') || peekIs('E')) {
      pos++;
      if (peekIs('+') || peekIs('-')) {
        pos++;
      }
      digits("a digit in the exponent");
    }
    return new JsonNode.NumberText(text.substring(start, pos));
  }

  private void digits(String expected) {
    if (pos == text.length() || !isDigit(text.charAt(pos))) {
      throw errorAt(pos, "expected " + expected + " but found " + describeAt(pos));
    }
    while (pos < text.length() && isDigit(text.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void expect(char c) {
    if (!peekIs(c)) {
      throw errorAt(pos, "expected '" + c + "' but found " + describeAt(pos));
    }
    pos++;
  }

  private boolean peekIs(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private String describeAt(int offset) {
    if (offset >= text.length()) {
      return "end of input";
    }
    int cp = text.codePointAt(offset);
    if (Character.isISOControl(cp) || Character.isWhitespace(cp) || !Character.isDefined(cp)) {
      return codePoint(cp);
    }
    return "'" + new String(Character.toChars(cp)) + "'";
  }

  /** Describes up to {@code length} characters at {@code offset}, escaped, for a message. */
  private String describeAt(int offset, int length) {
    if (offset >= text.length()) {
      return "end of input";
    }
    String found = text.substring(offset, Math.min(text.length(), offset + length));
    return JsonReportWriter.appendQuoted(new StringBuilder(), found).toString();
  }

  private static String codePoint(int cp) {
    return String.format("U+%04X", cp);
  }

  /** Quotes a value from the document for a one-line message: escaped and cut at 60 chars. */
  static String quoteForMessage(String value) {
    String cut = value.length() > 60 ? value.substring(0, 57) + "..." : value;
    return JsonReportWriter.appendQuoted(new StringBuilder(), cut).toString();
  }
}
