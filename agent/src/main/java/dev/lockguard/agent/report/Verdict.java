package dev.lockguard.agent.report;

import dev.lockguard.report.Report;
import dev.lockguard.report.TextReport;
import dev.lockguard.report.Violation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Judges a report for a build: the findings at or above a severity, of some kinds or all, fail
 * it. Each failing finding is printed with its kind, severity, message, locks and sites, so that a
 * build log says what to fix without opening the report.
 */
final class Verdict {
  private final Violation.Severity failOn;
  private final Set<Violation.Kind> kinds;

  /** Fails on findings at or above {@code failOn} of {@code kinds}; every kind if empty. */
  Verdict(Violation.Severity failOn, Set<Violation.Kind> kinds) {
    this.failOn = failOn;
    this.kinds = kinds.isEmpty() ? EnumSet.allOf(Violation.Kind.class) : EnumSet.copyOf(kinds);
  }

  /** The findings that fail the build, in report order. */
  List<Violation> failing(Report report) {
    List<Violation> failing = new ArrayList<>();
    for (Violation violation : report.violations()) {
      // ERROR < WARNING < INFO in declaration order: "at or above" is compareTo <= 0.
      if (violation.severity().compareTo(failOn) <= 0 && kinds.contains(violation.kind())) {
        failing.add(violation);
      }
    }
    return failing;
  }

  /** Prints the failing findings on {@code err}; returns whether there is one. */
  boolean print(Report report, PrintStream err) {
    List<Violation> failing = failing(report);
    if (failing.isEmpty()) {
      return false;
    }
    err.print(describe(failing));
    err.flush();
    return true;
  }

  /** The failing findings as the build log shows them, one block each. */
  String describe(List<Violation> failing) {
    StringBuilder out = new StringBuilder(1024);
    out.append("lockguard: ").append(failing.size())
        .append(failing.size() == 1 ? " finding" : " findings")
        .append(" at or above ").append(failOn).append(":\n");
    for (Violation violation : failing) {
      out.append("  ").append(violation.kind()).append(' ').append(violation.severity())
          .append(": ").append(TextReport.printable(violation.message())).append('\n');
      if (!violation.locks().isEmpty()) {
        out.append("    locks: ").append(violation.locks().stream()
            .map(lock -> TextReport.printable(lock.name()))
            .collect(Collectors.joining(", "))).append('\n');
      }
      Set<String> sites = new LinkedHashSet<>(violation.sites());
      for (Violation.EdgeRef edge : violation.edges()) {
        if (!edge.acquiredAt().isEmpty()) {
          sites.add(edge.acquiredAt().get(0));
        }
      }
      if (!sites.isEmpty()) {
        out.append("    sites: ").append(sites.stream()
            .map(TextReport::printable).collect(Collectors.joining(", "))).append('\n');
      }
    }
    return out.toString();
  }

  /** The severity a command line names, in any case. */
  static Violation.Severity severity(String value) {
    for (Violation.Severity severity : Violation.Severity.values()) {
      if (severity.name().equalsIgnoreCase(value.trim())) {
        return severity;
      }
    }
    throw new IllegalArgumentException("unknown severity '" + TextReport.printable(value)
        + "' (valid: " + names(Violation.Severity.values()) + ")");
  }

  /** The kinds a comma-separated list names, in any case. */
  static Set<Violation.Kind> kinds(String value) {
    Set<Violation.Kind> kinds = EnumSet.noneOf(Violation.Kind.class);
    for (String name : value.split(",", -1)) {
      try {
        kinds.add(Violation.Kind.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown finding kind '" + TextReport.printable(name)
            + "' (valid: " + names(Violation.Kind.values()) + ")");
      }
    }
    return kinds;
  }

  private static String names(Enum<?>[] constants) {
    return Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", "));
  }
}
