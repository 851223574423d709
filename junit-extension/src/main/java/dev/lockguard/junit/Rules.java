package dev.lockguard.junit;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What fails a test or class: the kinds and least severity, the expected violation, the accepted
 * lock orders. Built from the annotations and configuration parameters, and checked as it is
 * built, so that a bad value stops the test before it runs.
 */
record Rules(
    Set<Kind> failKinds,
    Severity failSeverity,
    List<ExpectViolation> expected,
    List<AllowLockOrder> allowed,
    boolean failUnconfirmed) {

  /** The rules for the test or class of {@code context}. */
  static Rules of(ExtensionContext context) {
    List<AnnotatedElement> elements = Configuration.elements(context);
    Optional<FailOn> failOn = nearestFailOn(elements);
    Set<Kind> kinds = failOn.isPresent() ? kindsOf(failOn.get(), elements)
        : configuredKinds(context);
    Severity severity = failOn.isPresent() ? failOn.get().severity()
        : configuredSeverity(context);
    List<ExpectViolation> expected = context.getTestMethod()
        .map(method -> AnnotationSupport.findRepeatableAnnotations(method, ExpectViolation.class))
        .orElse(List.of());
    for (ExpectViolation expect : expected) {
      checkLockNames(expect.locks(), "@ExpectViolation(kind = " + expect.kind() + ", locks = "
          + quoted(expect.locks()) + ") on "
          + Configuration.describe(context.getRequiredTestMethod()));
    }
    boolean unconfirmed = failOn.isPresent() ? failOn.get().unconfirmed()
        : Configuration.failOnUnconfirmed(context);
    return new Rules(kinds, severity, expected, allowedOrders(elements), unconfirmed);
  }

  /** "every kind at ERROR or worse", for messages. */
  String describeFailOn() {
    String kinds = failKinds.size() == Kind.values().length ? "every kind"
        : failKinds.stream().map(Kind::name).collect(Collectors.joining(", "));
    return kinds + " at " + failSeverity + (failSeverity == Severity.INFO ? "" : " or worse");
  }

  private static Optional<FailOn> nearestFailOn(List<AnnotatedElement> elements) {
    for (AnnotatedElement element : elements) {
      Optional<FailOn> failOn = AnnotationSupport.findAnnotation(element, FailOn.class);
      if (failOn.isPresent()) {
        return failOn;
      }
    }
    return Optional.empty();
  }

  private static Set<Kind> kindsOf(FailOn failOn, List<AnnotatedElement> elements) {
    if (failOn.kinds().length == 0) {
      AnnotatedElement where = elements.stream()
          .filter(element -> AnnotationSupport.isAnnotated(element, FailOn.class))
          .findFirst().orElseThrow();
      throw new ExtensionConfigurationException("lockguard: @FailOn(kinds = {}) on "
          + Configuration.describe(where) + " fails on nothing. List the kinds that should fail"
          + " the test, or remove @LockGuard to switch lockguard off.");
    }
    return EnumSet.copyOf(Arrays.asList(failOn.kinds()));
  }

  private static Set<Kind> configuredKinds(ExtensionContext context) {
    Optional<String> value = context.getConfigurationParameter(Configuration.FAIL_ON_KINDS);
    if (value.isEmpty()) {
      return EnumSet.allOf(Kind.class);
    }
    Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    for (String name : value.get().split(",")) {
      String trimmed = name.trim().toUpperCase(Locale.ROOT);
      try {
        kinds.add(Kind.valueOf(trimmed));
      } catch (IllegalArgumentException e) {
        throw new ExtensionConfigurationException("lockguard: configuration parameter "
            + Configuration.FAIL_ON_KINDS + "=" + value.get() + " names the unknown kind \""
            + name.trim() + "\". Give kinds separated by commas, from: " + names(Kind.values())
            + ".", e);
      }
    }
    return kinds;
  }

  private static Severity configuredSeverity(ExtensionContext context) {
    Optional<String> value = context.getConfigurationParameter(Configuration.FAIL_ON_SEVERITY);
    if (value.isEmpty()) {
      return Severity.ERROR;
    }
    try {
      return Severity.valueOf(value.get().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException("lockguard: configuration parameter "
          + Configuration.FAIL_ON_SEVERITY + "=" + value.get() + " is not a severity. Give one"
          + " of " + names(Severity.values()) + ": findings at that severity or worse fail.", e);
    }
  }

  private static List<AllowLockOrder> allowedOrders(List<AnnotatedElement> elements) {
    List<AllowLockOrder> allowed = new ArrayList<>();
    for (AnnotatedElement element : elements) {
      for (AllowLockOrder allow :
          AnnotationSupport.findRepeatableAnnotations(element, AllowLockOrder.class)) {
        checkAllowed(allow, Configuration.describe(element));
        allowed.add(allow);
      }
    }
    return List.copyOf(allowed);
  }

  private static void checkAllowed(AllowLockOrder allow, String where) {
    String annotation = "@AllowLockOrder(locks = " + quoted(allow.locks()) + ") on " + where;
    if (allow.locks().length == 0) {
      throw new ExtensionConfigurationException("lockguard: " + annotation + " names no lock."
          + " Name the locks of the accepted order as the report names them, for example"
          + " locks = {\"Bank.checking\", \"Bank.savings\"}, or one lock for a cycle among"
          + " its instances, locks = {\"Account.lock\"}.");
    }
    checkLockNames(allow.locks(), annotation);
    Set<String> seen = new HashSet<>();
    for (String lock : allow.locks()) {
      if (!seen.add(lock)) {
        throw new ExtensionConfigurationException("lockguard: " + annotation + " names \""
            + lock + "\" twice. Name each lock once: one name already accepts a cycle among"
            + " several instances of that lock, for example locks = {\"" + lock + "\"}.");
      }
    }
    if (allow.reason().isBlank()) {
      throw new ExtensionConfigurationException("lockguard: " + annotation + " has no reason."
          + " Say why this order is safe, for example reason = \"both paths hold Bank.gate"
          + " first\".");
    }
  }

  private static void checkLockNames(String[] locks, String annotation) {
    for (String lock : locks) {
      if (lock.isBlank()) {
        throw new ExtensionConfigurationException("lockguard: " + annotation + " has a blank"
            + " lock name. Name each lock as the report names it, for example \"Account.lock\".");
      }
    }
  }

  static String quoted(String[] locks) {
    return Arrays.stream(locks).map(lock -> "\"" + lock + "\"")
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).collect(Collectors.joining(", "));
  }
}
