package dev.lockguard.agent;

import dev.lockguard.LockOrderViolationException;
import dev.lockguard.agent.core.JdkClasses;
import dev.lockguard.agent.latch.LatchOption;
import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.internal.core.Config;
import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import java.io.IOException;
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
 * <p>Anything unknown or malformed is rejected with a message that names the key (and the system
 * property it came from) and lists what is valid: a safety tool that silently runs with the wrong
 * settings is worse than none. An option given twice in the argument and an empty value are
 * errors too. A {@code lockguard.*} system property that is neither an option nor a parameter of
 * the JUnit extension (which shares the prefix) is only warned about: build tools pass system
 * properties to every JVM they start, and {@code lockguard.test.*} is lockguard's own.
 *
 * @param config what the runtime is started with ({@code report}, {@code policy}, {@code order},
 *     {@code watchdog})
 * @param include class-name globs to instrument; empty for every application class
 * @param exclude class-name globs never to instrument
 * @param jdkClasses the curated JDK classes to retransform ({@code jdk})
 * @param latches application classes to watch like {@code dev.lockguard.Event}
 * @param confirm the {@code POTENTIAL_DEADLOCK} findings of an earlier report to confirm by
 *     steering the schedule in this run ({@code confirmFrom}); empty for none
 * @param confirmHoldMillis how long steering holds a thread back at a cycle's edge
 * @param classInit whether static initializers are watched for class-initialization deadlocks
 *     ({@code classinit})
 * @param warnings lines to print on stderr at start-up (without the "lockguard: " prefix)
 */
record AgentOptions(Config config, List<String> include, List<String> exclude,
    Set<String> jdkClasses, List<LatchOption.Spec> latches, List<Violation> confirm,
    long confirmHoldMillis, boolean classInit, List<String> warnings) {

  /** An example value of each option, for messages and the usage text. */
  static final Map<String, String> EXAMPLES = examples();

  /** The option keys, in the order the help lists them. */
  static final List<String> KEYS =
      List.of("report", "policy", "order", "include", "exclude", "watchdog", "jdk",
          "latches", "confirmFrom", "confirmHold", "classinit");

  /**
   * The JUnit extension's configuration parameters, which users may also give as {@code -D}
   * system properties: known names under the agent's prefix (see {@code Configuration} in
   * lockguard-junit, whose names must be listed here too).
   */
  static final List<String> EXTENSION_PARAMETERS = List.of("failOn.kinds", "failOn.severity",
      "deadlockTimeout", "reportDir", "selfAttach", "agentJar", "confirm", "confirm.attempts",
      "confirm.hold", "failOn.unconfirmed");

  private static final String PREFIX = "lockguard.";

  /** An option that turns a detector on or off. */
  private enum Switch {
    ON,
    OFF
  }

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
    Values values = new Values();
    Map<String, String> fromArgument;
    try {
      fromArgument = parseArgument(agentArgument);
    } catch (IllegalArgumentException e) {
      throw new BadOption(e.getMessage());
    }
    for (String key : KEYS) {
      String value = fromArgument.get(key);
      String property = value == null ? properties.getProperty(PREFIX + key) : null;
      if (value == null && property == null) {
        continue;
      }
      try {
        values.set(key, value != null ? value : property);
      } catch (IllegalArgumentException e) {
        throw new BadOption(value != null ? e.getMessage()
            : "system property -D" + PREFIX + key + "=" + property + ": " + e.getMessage());
      }
    }
    values.warnings.addAll(unknownProperties(properties));
    try {
      values.warnings.addAll(LatchOption.check(values.latches, values.include, values.exclude));
      return values.options();
    } catch (IllegalArgumentException e) {
      throw new BadOption(e.getMessage());
    }
  }

  /** A warning for each {@code lockguard.*} system property that no part of lockguard reads. */
  private static List<String> unknownProperties(Properties properties) {
    List<String> warnings = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(properties.stringPropertyNames())) {
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String key = name.substring(PREFIX.length());
      if (!KEYS.contains(key) && !EXTENSION_PARAMETERS.contains(key)
          && !key.startsWith("test.")) {
        warnings.add("ignoring the system property -D" + name + ": it is no option of the"
            + " agent (" + String.join(", ", KEYS) + ") and no parameter of the JUnit extension ("
            + String.join(", ", EXTENSION_PARAMETERS) + "). Check its spelling.");
      }
    }
    return warnings;
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
    private List<Violation> confirm = List.of();
    private long confirmHoldMillis = 1000;
    private final List<String> warnings = new ArrayList<>();
    private boolean classInit = true;

    void set(String key, String value) {
      if (value.isBlank()) {
        throw new IllegalArgumentException("option \"" + key + "\" is empty. Leave it out for"
            + " its default, or give a value: " + key + "=" + EXAMPLES.get(key) + ".");
      }
      switch (key) {
        case "report" -> report = reportPath(value);
        case "policy" -> policy = oneOf(key, value, Config.Policy.values());
        case "order" -> order = oneOf(key, value, Config.Order.values());
        case "include" -> include = globs(key, value);
        case "exclude" -> exclude = globs(key, value);
        case "watchdog" -> watchdogMillis = millis(value);
        case "jdk" -> jdkClasses = JdkClasses.select(value);
        case "latches" -> latches = LatchOption.parse(value);
        case "confirmFrom" -> confirm = cyclesToConfirm(value);
        case "confirmHold" -> confirmHoldMillis = holdMillis(value);
        case "classinit" -> classInit = oneOf(key, value, Switch.values()) == Switch.ON;
        default -> throw new IllegalStateException("no parser for option " + key);
      }
    }

    AgentOptions options() {
      Config config = new Config(report, policy, order, watchdogMillis, false,
          LockOrderViolationException::new);
      return new AgentOptions(config, include, exclude, jdkClasses, latches, confirm,
          confirmHoldMillis, classInit, List.copyOf(warnings));
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
      if (values.put(key, pair.substring(equals + 1).trim()) != null) {
        throw new IllegalArgumentException("option \"" + key + "\" is given twice in"
            + " -javaagent:...=" + argument + ". Give each option once.");
      }
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

  /** The lock-order cycles of the report at {@code value}, to confirm by steering. */
  private static List<Violation> cyclesToConfirm(String value) {
    Path path = Path.of(value).toAbsolutePath();
    Report report;
    try {
      report = JsonReportReader.read(path);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("option \"confirmFrom\" cannot read the report " + path
          + " (" + e.getMessage() + "). Give the JSON report of an earlier run, as its"
          + " report= option wrote it.");
    }
    List<Violation> cycles = new ArrayList<>();
    for (Violation violation : report.violations()) {
      if (violation.kind() == Violation.Kind.POTENTIAL_DEADLOCK) {
        cycles.add(violation);
      }
    }
    if (cycles.isEmpty()) {
      throw new IllegalArgumentException("option \"confirmFrom\" names the report " + path
          + ", which has no POTENTIAL_DEADLOCK finding to confirm. Leave the option out, or"
          + " give a report with one.");
    }
    return List.copyOf(cycles);
  }

  private static long holdMillis(String value) {
    if (!MILLIS.matcher(value).matches() || Long.parseLong(value) == 0) {
      throw new IllegalArgumentException("option \"confirmHold\" has the bad value \"" + value
          + "\". Give how long steering may hold a thread back, in milliseconds above 0, for"
          + " example confirmHold=1000.");
    }
    return Long.parseLong(value);
  }

  private static Map<String, String> examples() {
    Map<String, String> examples = new LinkedHashMap<>();
    examples.put("report", "target/lockguard.json");
    examples.put("policy", "record|throw");
    examples.put("order", "graph|ascending");
    examples.put("include", "com.acme.*;org.foo.Bar");
    examples.put("exclude", "com.acme.generated.*");
    examples.put("watchdog", "1000");
    examples.put("jdk", "all|none|Vector;Hashtable");
    examples.put("latches", "com.acme.Signal(set=fire,clear=reset,await=waitFor)");
    examples.put("confirmFrom", "target/first-run.json");
    examples.put("confirmHold", "1000");
    examples.put("classinit", "on|off");
    return java.util.Collections.unmodifiableMap(examples);
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
