package dev.lockguard.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Assertions on a demo's report that every end-to-end test needs. */
final class Reports {
  private Reports() {}

  /**
   * The variant ran to its end (exit 0), the agent instrumented it, and printed each finding of
   * the report on stderr exactly once (none of the demos' findings rises in severity later).
   */
  static Report ranToTheEnd(Demos.Run run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout()).as(run.toString()).contains(": done");
    Report report = instrumented(run.report());
    assertThat(run.stderr().split("=== lockguard: ", -1)).as("findings printed, in %s", run)
        .hasSize(report.violations().size() + 1);
    for (Violation violation : report.violations()) {
      assertThat(run.stderr()).as(run.toString()).containsOnlyOnce("=== lockguard: "
          + violation.kind() + " (" + violation.severity() + ") [" + violation.id() + "] ===");
    }
    return report;
  }

  /**
   * Runs a fixed variant under the agent and checks that it ran to its end, instrumented, with
   * nothing reported; returns the run for the variant's own checks.
   */
  static Demos.Run silentRun(Path dir, String options, String demo, String variant)
      throws IOException, InterruptedException {
    Demos.Run run = Demos.withAgent(dir, options, demo, variant);
    assertThat(ranToTheEnd(run).violations()).as(run.toString()).isEmpty();
    return run;
  }

  /** The agent saw the demo's lock acquisitions. */
  static Report instrumented(Report report) {
    assertThat(report.stats().acquisitions()).as("instrumentation was applied").isPositive();
    return report;
  }

  /** The report's only violation. */
  static Violation onlyViolation(Report report) {
    assertThat(report.violations()).hasSize(1);
    return report.violations().get(0);
  }

  /**
   * The report's only {@code kind} violation. Any other must be a {@code DEADLOCK} among the same
   * locks, a {@code WARNING} that confirms it: a broken variant that waits with a timeout really
   * deadlocks now and then until the timeout ends it, and the agent's watchdog reports that when
   * it happens to look at that moment.
   */
  static Violation onlyViolationBesidesRealDeadlocks(Report report, Kind kind) {
    List<Violation> ofKind = report.violations().stream().filter(v -> v.kind() == kind).toList();
    assertThat(ofKind).as("%s violations in %s", kind, report.violations()).hasSize(1);
    Violation finding = ofKind.get(0);
    List<String> locks = finding.locks().stream().map(LockRef::name).toList();
    assertThat(report.violations()).filteredOn(violation -> violation != finding)
        .allSatisfy(deadlock -> {
          assertThat(deadlock.kind()).isEqualTo(Kind.DEADLOCK);
          assertThat(deadlock.severity()).as("its threads wait with timeouts")
              .isEqualTo(Violation.Severity.WARNING);
          assertThat(deadlock.locks()).extracting(LockRef::name).isSubsetOf(locks);
          assertThat(deadlock.confirms()).isEqualTo(finding.id());
          assertThat(deadlock.message()).endsWith(" It confirms POTENTIAL_DEADLOCK "
              + finding.id() + ", the lock-order cycle of the same acquisitions.");
        });
    return finding;
  }

  /** The one edge {@code from -> to} of {@code violation}. */
  static EdgeRef edge(Violation violation, String from, String to) {
    List<EdgeRef> matching = violation.edges().stream()
        .filter(edge -> edge.from().equals(from) && edge.to().equals(to))
        .toList();
    assertThat(matching).as("edge %s -> %s in %s", from, to, violation.edges()).hasSize(1);
    return matching.get(0);
  }
}
