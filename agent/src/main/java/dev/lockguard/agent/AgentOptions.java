package dev.lockguard.agent;

import dev.lockguard.LockOrderViolationException;
import dev.lockguard.agent.core.JdkClasses;
import dev.lockguard.agent.latch.LatchOption;
import dev.lockguard.internal.core.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent's options, parsed once into typed values: {@code key=value} pairs separated by
 * {@code ,} after {@code -javaagent:lockguard-agent.jar=}, or system properties
 * {@code -Dlockguard.KEY=VALUE}. An option in the agent argument wins over the same system
 * property.
 *
 * <p>Anything unknown or malformed is rejected with a message that names the key and lists what is
 * valid: a safety tool that silently runs with the wrong settings is worse than none.
 *
 * @param config what the runtime is started with ({@code report}, {@code policy}, {@code order},
 *     {@code watchdog})
 * @param include class-name globs to instrument; empty for every application class
 * @param exclude class-name globs never to instrument
 * @param jdkClasses the curated JDK classes to retransform ({@code jdk})
 * @param latches application classes to watch like {@code dev.lockguard.Event}
 */
record AgentOptions(Config config, List<String> include, List<String> exclude,
    Set<String> jdkClasses, List<LatchOption.Spec> latches) {

  /** The option keys, in the order the help lists them. */
  static final List<String> KEYS =
      List.of("report", "policy", "order", "include", "exclude", "watchdog", "jdk",
          "latches");

  private static final Pattern GLOB =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z0-9_$*]+)*\\*?|\\*");
  private static final Pattern MILLIS = Pattern.compile("\\d{1,9}");

  /** Thrown for a bad option, with a message for the user (no "lockguard:" prefix). */
  static final class BadOption extends Exception {
    private static final long serialVersionUID = 1L;

    BadOption(String message) {
      super(message, null, false, false); // the message says it all: no stack trace
    }
  }

  /** Parses the agent argument and the {@code lockguard.*} system properties. */
  static AgentOptions parse(String agentArgument, Properties properties) throws BadOption {
    try {
      Values values = new Values();
      for (Map.Entry<String, String> option : raw(agentArgument, properties).entrySet()) {
        values.set(option.getKey(), option.getValue());
      }
      return values.options();
    } catch (IllegalArgumentException e) {
      throw new BadOption(e.getMessage());
    }
  }

  /** The raw values by key: the system properties, overridden by the agent argument. */
  private static Map<String, String> raw(String agentArgument, Properties properties) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : KEYS) {
      String value = properties.getProperty("lockguard." + key);
      if (value != null) {
        values.put(key, value);
      }
    }
    values.putAll(parseArgument(agentArgument));
    return values;
  }

  /** The typed values, each parsed as its option is read; defaults where an option is absent. */
  private static final class Values {
    private Path report;
    private Config.Policy policy = Config.Policy.RECORD;
    private Config.Order order = Config.Order.GRAPH;
    private List<String> include = List.of();
    private List<String> exclude = List.of();
    private long watchdogMillis = 1000;
    private Set<String> jdkClasses = JdkClasses.select(null);
    private List<LatchOption.Spec> latches = List.of();

    void set(String key, String value) {
      switch (key) {
        case "report" -> report = reportPath(value);
        case "policy" -> policy = oneOf(key, value, Config.Policy.values());
        case "order" -> order = oneOf(key, value, Config.Order.values());
        case "include" -> include = globs(key, value);
        case "exclude" -> exclude = globs(key, value);
        case "watchdog" -> watchdogMillis = millis(value);
        case "jdk" -> jdkClasses = JdkClasses.select(value);
        case "latches" -> latches = LatchOption.parse(value);
        default -> throw new IllegalStateException("no parser for option " + key);
      }
    }

    AgentOptions options() {
      Config config = new Config(report, policy, order, watchdogMillis, false,
          LockOrderViolationException::new);
      return new AgentOptions(config, include, exclude, jdkClasses, latches);
    }
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
            + " for example report=lockguard.json,policy=throw. Valid keys: "
            + String.join(", ", KEYS) + ".");
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

  /** Splits at commas, except inside parentheses ({@code latches=} entries list roles in them). */
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

  private static Path reportPath(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("option \"report\" is empty. Give the JSON report's"
          + " path, for example report=target/lockguard.json.");
    }
    return Path.of(expandPercent(value, ProcessHandle.current().pid())).toAbsolutePath();
  }

  /**
   * The report path with {@code %p} replaced by the process id and {@code %%} by {@code %}, as in
   * HotSpot's own file options, so that every forked JVM writes a file of its own. Any other
   * {@code %} is rejected rather than taken literally.
   */
  static String expandPercent(String value, long pid) {
    StringBuilder path = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      char next = i + 1 < value.length() ? value.charAt(i + 1) : 0;
      if (c != '%') {
        path.append(c);
      } else if (next == 'p') {
        path.append(pid);
        i++;
      } else if (next == '%') {
        path.append('%');
        i++;
      } else {
        throw new IllegalArgumentException("option \"report\" has the bad value \"" + value
            + "\": '%' must be followed by 'p' (the process id) or '%' (a literal '%'),"
            + " for example report=target/lockguard/lockguard-%p.json.");
      }
    }
    return path.toString();
  }

  private static long millis(String value) {
    if (!MILLIS.matcher(value).matches()) {
      throw new IllegalArgumentException("option \"watchdog\" has the bad value \"" + value
          + "\". Give the deadlock check period in milliseconds, for example watchdog=1000,"
          + " or watchdog=0 to turn it off.");
    }
    return Long.parseLong(value);
  }

  /** The constant an option names in lower case ({@code policy=throw}: {@code THROW}). */
  private static <E extends Enum<E>> E oneOf(String key, String value, E[] constants) {
    List<String> valid = new ArrayList<>();
    for (E constant : constants) {
      String name = constant.name().toLowerCase(Locale.ROOT);
      if (name.equals(value)) {
        return constant;
      }
      valid.add(name);
    }
    throw new IllegalArgumentException("option \"" + key + "\" has the bad value \"" + value
        + "\". Valid values: " + String.join(", ", valid) + ".");
  }

  private static List<String> globs(String key, String value) {
    if (value.isBlank()) {
      return List.of();
    }
    List<String> globs = new ArrayList<>();
    for (String glob : value.split(";", -1)) {
      String trimmed = glob.trim();
      if (!GLOB.matcher(trimmed).matches()) {
        throw new IllegalArgumentException("option \"" + key + "\" has the bad pattern \"" + trimmed
            + "\". Give package or class names separated by ';', with '*' as a wildcard,"
            + " for example " + key + "=com.acme.*;org.foo.Bar.");
      }
      globs.add(trimmed);
    }
    return List.copyOf(globs);
  }
}
