package dev.lockguard.junit;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension's configuration parameters and where annotations are looked up.
 *
 * <p>Configuration parameters come from the launcher, then system properties, then
 * {@code junit-platform.properties}, as JUnit reads them. A bad value is an
 * {@link ExtensionConfigurationException} that names it and says how to fix it. The agent shares
 * the {@code lockguard.} prefix and warns about a system property under it that it does not know:
 * a new parameter goes into its list too ({@code AgentOptions.EXTENSION_PARAMETERS}).
 */
final class Configuration {
  static final String FAIL_ON_KINDS = "lockguard.failOn.kinds";
  static final String FAIL_ON_SEVERITY = "lockguard.failOn.severity";
  static final String DEADLOCK_TIMEOUT = "lockguard.deadlockTimeout";
  static final String REPORT_DIR = "lockguard.reportDir";
  static final String SELF_ATTACH = "lockguard.selfAttach";
  static final String AGENT_JAR = "lockguard.agentJar";
  static final String CONFIRM = "lockguard.confirm";
  static final String CONFIRM_ATTEMPTS = "lockguard.confirm.attempts";
  static final String CONFIRM_HOLD = "lockguard.confirm.hold";
  static final String FAIL_ON_UNCONFIRMED = "lockguard.failOn.unconfirmed";

  static final int DEFAULT_CONFIRM_ATTEMPTS = 3;
  static final Duration DEFAULT_CONFIRM_HOLD = Duration.ofSeconds(1);

  static final Duration DEFAULT_DEADLOCK_TIMEOUT = Duration.ofSeconds(60);
  static final String DEFAULT_REPORT_DIR = "target/lockguard";

  private static final Pattern DURATION =
      Pattern.compile("(\\d{1,9}) ?(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  private Configuration() {}

  /** The deadlock timeout: the nearest non-empty {@code @LockGuard(deadlockTimeout)}, else the parameter. */
  static Duration deadlockTimeout(ExtensionContext context) {
    for (AnnotatedElement element : elements(context)) {
      Optional<LockGuard> guard = AnnotationSupport.findAnnotation(element, LockGuard.class);
      if (guard.isPresent() && !guard.get().deadlockTimeout().isEmpty()) {
        String value = guard.get().deadlockTimeout();
        return duration(value,
            "@LockGuard(deadlockTimeout = \"" + value + "\") on " + describe(element));
      }
    }
    return context.getConfigurationParameter(DEADLOCK_TIMEOUT)
        .map(value -> duration(value,
            "configuration parameter " + DEADLOCK_TIMEOUT + "=" + value))
        .orElse(DEFAULT_DEADLOCK_TIMEOUT);
  }

  /** Where the per-test JSON reports go, relative to the working directory unless absolute. */
  static Path reportDirectory(ExtensionContext context) {
    String value = context.getConfigurationParameter(REPORT_DIR).orElse(DEFAULT_REPORT_DIR);
    if (value.isBlank()) {
      throw new ExtensionConfigurationException("lockguard: configuration parameter "
          + REPORT_DIR + " is empty. Give the directory for the per-test JSON reports, for"
          + " example " + REPORT_DIR + "=" + DEFAULT_REPORT_DIR + ".");
    }
    return Path.of(value).toAbsolutePath().normalize();
  }

  /** Whether {@code lockguard.selfAttach=true}; anything but true or false is an error. */
  static boolean selfAttach(ExtensionContext context) {
    return bool(context, SELF_ATTACH, false, "to attach the agent at run time");
  }

  /**
   * Whether and how to confirm the test's lock-order cycles: {@code @LockGuard(confirm = true)}
   * on the test or a class around it, or {@code lockguard.confirm=true}; attempts and hold-back
   * from {@code lockguard.confirm.attempts} and {@code lockguard.confirm.hold}.
   */
  static Steered.Settings confirm(ExtensionContext context) {
    boolean annotated = false;
    for (AnnotatedElement element : elements(context)) {
      annotated |= AnnotationSupport.findAnnotation(element, LockGuard.class)
          .map(LockGuard::confirm).orElse(false);
    }
    boolean configured = bool(context, CONFIRM, false, "to confirm lock-order cycles by"
        + " steering the schedule");
    boolean enabled = annotated || configured;
    String attempts = context.getConfigurationParameter(CONFIRM_ATTEMPTS)
        .orElse(String.valueOf(DEFAULT_CONFIRM_ATTEMPTS)).trim();
    if (!attempts.matches("[1-9]\\d{0,2}")) {
      throw new ExtensionConfigurationException("lockguard: configuration parameter "
          + CONFIRM_ATTEMPTS + "=" + attempts + " is not a number of runs from 1 to 999. Write,"
          + " for example, " + CONFIRM_ATTEMPTS + "=" + DEFAULT_CONFIRM_ATTEMPTS + ".");
    }
    Duration hold = context.getConfigurationParameter(CONFIRM_HOLD)
        .map(value -> duration(value, "configuration parameter " + CONFIRM_HOLD + "=" + value))
        .orElse(DEFAULT_CONFIRM_HOLD);
    if (hold.isZero()) {
      throw new ExtensionConfigurationException("lockguard: configuration parameter "
          + CONFIRM_HOLD + " is 0: a thread must be held back for some time to meet the others."
          + " Write, for example, " + CONFIRM_HOLD + "=1 s.");
    }
    return new Steered.Settings(enabled, Integer.parseInt(attempts), hold);
  }

  /** {@code lockguard.failOn.unconfirmed}, true unless set to false. */
  static boolean failOnUnconfirmed(ExtensionContext context) {
    return bool(context, FAIL_ON_UNCONFIRMED, true,
        "so that findings steering did not reproduce do not fail tests");
  }

  private static boolean bool(ExtensionContext context, String key, boolean absent,
      String what) {
    String value = context.getConfigurationParameter(key).orElse(String.valueOf(absent)).trim();
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return value.equalsIgnoreCase("true");
    }
    throw new ExtensionConfigurationException("lockguard: configuration parameter "
        + key + "=" + value + " is not a boolean. Write " + key + "=" + !absent + " " + what
        + ", or leave it out.");
  }

  static Optional<String> agentJar(ExtensionContext context) {
    return context.getConfigurationParameter(AGENT_JAR).filter(value -> !value.isBlank());
  }

  /**
   * Parses {@code 30 s}, {@code 500ms}, {@code 2 m}, {@code 1 h} or a bare number of seconds;
   * {@code 0} is a zero duration.
   */
  static Duration duration(String value, String where) {
    Matcher matcher = DURATION.matcher(value.trim());
    if (!matcher.matches()) {
      throw new ExtensionConfigurationException("lockguard: " + where + " is not a duration."
          + " Write a number with an optional unit ms, s, m or h, for example \"30 s\", or \"0\""
          + " to turn the deadlock timeout off.");
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "s" : matcher.group(2).toLowerCase(Locale.ROOT);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  /** A duration as people write it: {@code 1 s}, {@code 250 ms}. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /**
   * The elements to look for annotations on, nearest first: the test method, its class, then the
   * classes enclosing a {@code @Nested} class.
   */
  static List<AnnotatedElement> elements(ExtensionContext context) {
    List<AnnotatedElement> elements = new ArrayList<>();
    for (Optional<ExtensionContext> current = Optional.of(context); current.isPresent();
        current = current.get().getParent()) {
      current.get().getElement().ifPresent(element -> {
        if (!elements.contains(element)) {
          elements.add(element);
        }
      });
    }
    return elements;
  }

  /** {@code fixtures.Foo#bar()} or {@code fixtures.Foo}, for messages. */
  static String describe(AnnotatedElement element) {
    if (element instanceof Method method) {
      return method.getDeclaringClass().getName() + "#" + method.getName() + "()";
    }
    if (element instanceof Class<?> type) {
      return type.getName();
    }
    return String.valueOf(element);
  }
}
