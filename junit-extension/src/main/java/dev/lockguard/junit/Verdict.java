package dev.lockguard.junit;

import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * Decides whether a test or class fails on its findings, and says why.
 *
 * <p>A finding fails when its kind and severity are among those the {@link Rules} fail on, no
 * {@link ExpectViolation} matched it and no {@link AllowLockOrder} accepts it. A test whose
 * {@link ExpectViolation} matched nothing fails too, and so does a test the deadlock timeout
 * abandoned, unless it expected the {@code DEADLOCK}. The failure is an
 * {@link AssertionFailedError} whose message is lockguard's text report.
 */
final class Verdict {
  private Verdict() {}

  /** Writes the test's report, publishes its path, and throws if the test fails. */
  static void forTest(ExtensionContext context, Rules rules, List<Violation> violations,
      String abandoned) {
    Path report = Reports.writeTest(context, violations);
    publish(context, rules, violations, report);
    List<Violation> expected = violations.stream()
        .filter(v -> rules.expected().stream().anyMatch(expect -> matches(expect, v))).toList();
    boolean stuck = abandoned != null && expected.stream().noneMatch(Verdict::isDeadlock);
    List<Violation> failing = failing(rules, violations, expected);
    if (stuck) {
      failing = deadlocksFirst(violations, failing);
    }
    StringBuilder message = new StringBuilder();
    if (stuck) {
      message.append("lockguard: ").append(abandoned).append('\n');
    }
    appendUnmetExpectations(message, rules, violations);
    if (!failing.isEmpty()) {
      message.append("lockguard: ").append(count(failing.size(), "violation"))
          .append(" in this test (failing on ").append(rules.describeFailOn()).append(").\n");
    }
    if (message.length() > 0) {
      throw new AssertionFailedError(finish(message, report, failing));
    }
  }

  /** A stuck test shows the deadlock it is stuck in, whatever kinds it fails on. */
  private static List<Violation> deadlocksFirst(List<Violation> all, List<Violation> failing) {
    List<Violation> shown = new ArrayList<>();
    for (Violation violation : all) {
      if (isDeadlock(violation)) {
        shown.add(violation);
      }
    }
    for (Violation violation : failing) {
      if (!shown.contains(violation)) {
        shown.add(violation);
      }
    }
    return shown;
  }

  private static void appendUnmetExpectations(
      StringBuilder message, Rules rules, List<Violation> violations) {
    for (ExpectViolation expect : rules.expected()) {
      if (violations.stream().noneMatch(v -> matches(expect, v))) {
        message.append("lockguard: this test should trigger ").append(describe(expect))
            .append(" (@ExpectViolation), but lockguard found ").append(summary(violations))
            .append(".\n");
      }
    }
  }

  private static boolean isDeadlock(Violation violation) {
    return violation.kind() == Violation.Kind.DEADLOCK;
  }

  /** Publishes the report's path, and each accepted lock order with its reason. */
  private static void publish(
      ExtensionContext context, Rules rules, List<Violation> violations, Path report) {
    context.publishReportEntry(Reports.REPORT_ENTRY, report.toString());
    for (Violation violation : violations) {
      AllowLockOrder allow = allowedBy(rules, violation);
      if (allow != null && failsOn(rules, violation)) {
        context.publishReportEntry("lockguard.allowed",
            headline(violation) + " allowed by @AllowLockOrder: " + allow.reason());
      }
    }
  }

  /** Writes the class's report if it has findings, and throws if one of them fails it. */
  static void forClass(ExtensionContext context, Rules rules, List<ClassViolation> findings) {
    if (findings.isEmpty()) {
      return;
    }
    List<Violation> violations = findings.stream().map(ClassViolation::violation).toList();
    Path report = Reports.writeClass(context, violations);
    publish(context, rules, violations, report);
    List<Violation> failing = failing(rules, violations, List.of());
    if (failing.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("lockguard: ")
        .append(count(failing.size(), "unattributed violation"))
        .append(": lockguard found ").append(failing.size() == 1 ? "it" : "them")
        .append(" while this class ran but cannot attribute ")
        .append(failing.size() == 1 ? "it" : "them")
        .append(" to a single test, so the class fails (failing on ")
        .append(rules.describeFailOn()).append(").\n");
    for (ClassViolation finding : findings) {
      if (failing.contains(finding.violation())) {
        message.append(" - ").append(headline(finding.violation())).append(", found ")
            .append(finding.where()).append('\n');
      }
    }
    throw new AssertionFailedError(finish(message, report, failing));
  }

  private static String finish(StringBuilder message, Path report, List<Violation> shown) {
    message.append("JSON report: ").append(report).append('\n');
    for (Violation violation : shown) {
      message.append('\n').append(TextReport.render(violation));
    }
    return message.toString();
  }

  private static List<Violation> failing(
      Rules rules, List<Violation> violations, List<Violation> expected) {
    List<Violation> failing = new ArrayList<>();
    for (Violation violation : violations) {
      if (!expected.contains(violation) && failsOn(rules, violation)
          && allowedBy(rules, violation) == null && !spared(rules, violation)) {
        failing.add(violation);
      }
    }
    return failing;
  }

  /** A cycle steering did not reproduce, under {@code @FailOn(unconfirmed = false)}. */
  private static boolean spared(Rules rules, Violation violation) {
    return !rules.failUnconfirmed() && violation.confirmation() != null
        && violation.confirmation().status() == Violation.Confirmation.Status.NOT_REPRODUCED;
  }

  /**
   * Whether the rules fail on this kind and severity. A kind this extension does not know (from
   * a newer runtime) fails when every kind does.
   */
  static boolean failsOn(Rules rules, Violation violation) {
    boolean kind = rules.failKinds().stream()
        .anyMatch(k -> k.name().equals(violation.kind().name()))
        || (rules.failKinds().size() == Kind.values().length && !known(violation.kind()));
    return kind && Severity.valueOf(violation.severity().name()).atLeast(rules.failSeverity());
  }

  private static boolean known(Violation.Kind kind) {
    for (Kind k : Kind.values()) {
      if (k.name().equals(kind.name())) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(ExpectViolation expect, Violation violation) {
    return expect.kind().name().equals(violation.kind().name())
        && lockNames(violation).containsAll(List.of(expect.locks()));
  }

  /** The accepted order that covers this lock-order finding, or null. */
  static AllowLockOrder allowedBy(Rules rules, Violation violation) {
    boolean lockOrder = violation.kind() == Violation.Kind.POTENTIAL_DEADLOCK
        || violation.kind() == Violation.Kind.LOCK_ORDER_VIOLATION;
    Set<String> locks = lockNames(violation);
    if (!lockOrder || locks.isEmpty()) {
      return null;
    }
    for (AllowLockOrder allow : rules.allowed()) {
      if (List.of(allow.locks()).containsAll(locks)) {
        return allow;
      }
    }
    return null;
  }

  private static Set<String> lockNames(Violation violation) {
    return violation.locks().stream().map(Violation.LockRef::name).collect(Collectors.toSet());
  }

  /** {@code POTENTIAL_DEADLOCK (ERROR) on [A, B]}. */
  static String headline(Violation violation) {
    return violation.kind() + " (" + violation.severity() + ") on "
        + violation.locks().stream().map(Violation.LockRef::name).distinct().toList();
  }

  private static String describe(ExpectViolation expect) {
    return "a " + expect.kind() + (expect.locks().length == 0 ? ""
        : " on locks " + List.of(expect.locks()));
  }

  private static String summary(List<Violation> violations) {
    if (violations.isEmpty()) {
      return "no violation at all";
    }
    return "only " + violations.stream().map(Verdict::headline)
        .collect(Collectors.joining("; "));
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
