package dev.lockguard.agent;

import dev.lockguard.agent.core.JdkClasses;
import dev.lockguard.agent.latch.LatchOption;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The agent's options: {@code key=value} pairs separated by {@code ,} after
 * {@code -javaagent:lockguard-agent.jar=}, or system properties {@code -Dlockguard.KEY=VALUE}.
 * An option in the agent argument wins over the same system property.
 *
 * <p>Anything unknown or malformed is rejected with a message that names the key and lists what is
 * valid: a safety tool that silently runs with the wrong settings is worse than none.
 */
final class Options {
  /** The option keys, in the order the help lists them. */
  static final List<String> KEYS =
      List.of("report", "policy", "order", "include", "exclude", "watchdog", "jdk",
          "latches");

  private static final Pattern GLOB = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z0-9_$*]+)*\\*?|\\*");

  final Path report;
  final String policy;
  final String order;
  final List<String> include;
  final List<String> exclude;
  /** How often the deadlock watchdog looks, in milliseconds; 0 turns it off. */
  final long watchdogMillis;
  /** The curated JDK classes to retransform. */
  final java.util.Set<String> jdkClasses;
  /** Application classes to watch like {@code dev.lockguard.Event}. */
  final List<LatchOption.Spec> latches;

  private Options(Map<String, String> values) {
    String reportValue = values.get("report");
    this.report = reportValue == null ? null : Path.of(reportValue).toAbsolutePath();
    this.policy = values.getOrDefault("policy", "record");
    this.order = values.getOrDefault("order", "graph");
    this.include = globs("include", values.get("include"));
    this.exclude = globs("exclude", values.get("exclude"));
    this.watchdogMillis = Long.parseLong(values.getOrDefault("watchdog", "1000"));
    this.jdkClasses = JdkClasses.select(values.get("jdk"));
    this.latches = LatchOption.parse(values.get("latches"));
  }

  /**
   * Parses the agent argument and the {@code lockguard.*} system properties.
   *
   * @throws IllegalArgumentException with a message for the user (no "lockguard:" prefix)
   */
  static Options parse(String agentArgument, Properties properties) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : KEYS) {
      String value = properties.getProperty("lockguard." + key);
      if (value != null) {
        values.put(key, value);
      }
    }
    values.putAll(parseArgument(agentArgument));
    for (Map.Entry<String, String> entry : values.entrySet()) {
      check(entry.getKey(), entry.getValue());
    }
    return new Options(values);
  }

  private static Map<String, String> parseArgument(String argument) {
    Map<String, String> values = new LinkedHashMap<>();
    if (argument == null || argument.isBlank()) {
      return values;
    }
    for (String pair : splitOutsideParentheses(argument)) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("option \"" + pair + "\" in -javaagent:...=" + argument
            + " is not key=value. Write options as key=value pairs separated by commas,"
            + " for example report=lockguard.json,policy=throw. Valid keys: " + String.join(", ", KEYS) + ".");
      }
      String key = pair.substring(0, equals).trim();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown option \"" + key + "\" in -javaagent:...="
            + argument + ". Valid keys: " + String.join(", ", KEYS) + ".");
      }
      values.put(key, pair.substring(equals + 1).trim());
    }
    return values;
  }

  /** Splits at commas, except inside parentheses ({@code latches=} entries list roles with them). */
  static List<String> splitOutsideParentheses(String argument) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < argument.length(); i++) {
      char c = argument.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(argument.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(argument.substring(start));
    while (parts.size() > 1 && parts.get(parts.size() - 1).isEmpty()) {
      parts.remove(parts.size() - 1); // as String.split: a trailing comma is no option
    }
    return parts;
  }

  private static void check(String key, String value) {
    switch (key) {
      case "policy" -> oneOf(key, value, "record", "throw");
      case "order" -> oneOf(key, value, "graph", "ascending");
      case "report" -> {
        if (value.isEmpty()) {
          throw new IllegalArgumentException("option \"report\" is empty. Give the JSON report's"
              + " path, for example report=target/lockguard.json.");
        }
      }
      case "watchdog" -> {
        if (!value.matches("\\d{1,9}")) {
          throw new IllegalArgumentException("option \"watchdog\" has the bad value \"" + value
              + "\". Give the deadlock check period in milliseconds, for example watchdog=1000,"
              + " or watchdog=0 to turn it off.");
        }
      }
      default -> { }
    }
  }

  private static void oneOf(String key, String value, String... valid) {
    for (String candidate : valid) {
      if (candidate.equals(value)) {
        return;
      }
    }
    throw new IllegalArgumentException("option \"" + key + "\" has the bad value \"" + value
        + "\". Valid values: " + String.join(", ", valid) + ".");
  }

  private static List<String> globs(String key, String value) {
    List<String> globs = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return globs;
    }
    for (String glob : value.split(";", -1)) {
      String trimmed = glob.trim();
      if (!GLOB.matcher(trimmed).matches()) {
        throw new IllegalArgumentException("option \"" + key + "\" has the bad pattern \"" + trimmed
            + "\". Give package or class names separated by ';', with '*' as a wildcard,"
            + " for example " + key + "=com.acme.*;org.foo.Bar.");
      }
      globs.add(trimmed);
    }
    return globs;
  }
}
