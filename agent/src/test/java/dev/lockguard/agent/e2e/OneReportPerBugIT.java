package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.internal.core.Findings;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Counts;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bug, one report, end to end: fixtures from {@code fixtures.agent.once} run under the shaded
 * agent in forked JVMs. A finding is printed on stderr once, and once more only when it gets more
 * severe; further occurrences (other lock instances through the same code, other threads) are
 * counted in the JSON; different bugs keep different ids.
 */
class OneReportPerBugIT {
  private static final Pattern HEADER =
      Pattern.compile("=== lockguard: (\\w+) \\((\\w+)\\) \\[([0-9a-f]{16})\\] ===");
  private static final String ACCOUNT = "fixtures.agent.once.Account.transfer(";

  @TempDir Path dir;

  // ---- one bug over many instances ------------------------------------------------------------

  @Test
  void oneCodePathOverManyLockInstancesIsOneFindingPrintedOnceAndCounted() throws Exception {
    Fixtures.Outcome run = run("ManyTransfers");
    Violation violation = run.only();

    assertAccountCycle(violation, Severity.ERROR);
    assertThat(violation.message()).isEqualTo("Lock-order cycle Account.lock -> Account.lock ->"
        + " Account.lock: threads \"teller-3\" and \"teller-1\" take these locks in opposite"
        + " orders and deadlock if they run at the same moment.");
    assertThat(violation.threads()).containsExactly("teller-3", "teller-1");
    assertThat(violation.counts()).as("8 pairs of accounts, 4 tellers")
        .isEqualTo(new Counts(8, 8, 4));
    assertThat(headers(run)).containsExactly("POTENTIAL_DEADLOCK ERROR " + violation.id());
    assertThat(run.result().stderr()).as("first printed when seen once").doesNotContain(" Seen ");
  }

  @Test
  void theSameTransfersTakingLocksInOneOrderAreSilent() throws Exception {
    Fixtures.Outcome run = run("ManyTransfers", "ordered");

    assertThat(run.report().violations()).as(run.result().toString()).isEmpty();
    assertThat(run.report().stats().edges()).as("one edge per pair of accounts").isEqualTo(8);
    assertThat(headers(run)).isEmpty();
  }

  // ---- a finding that gets worse ---------------------------------------------------------------

  @Test
  void aFindingThatGetsWorseIsPrintedOnceMoreAndNeverTwiceAtOneSeverity() throws Exception {
    Fixtures.Outcome run = run("GetsWorse");
    Violation violation = run.only();

    assertAccountCycle(violation, Severity.ERROR);
    assertThat(violation.message()).isEqualTo("Lock-order cycle Account.lock -> Account.lock ->"
        + " Account.lock: threads \"main\" and \"auditor\" take these locks in opposite orders"
        + " and deadlock if they run at the same moment.");
    assertThat(violation.threads()).containsExactly("main", "auditor");
    assertThat(violation.counts()).as("2 cycles, each found then raised by \"auditor\"")
        .isEqualTo(new Counts(4, 2, 2));
    assertThat(headers(run)).containsExactly(
        "POTENTIAL_DEADLOCK WARNING " + violation.id(),
        "POTENTIAL_DEADLOCK ERROR " + violation.id());
    String stderr = run.result().stderr();
    assertThat(stderr).contains("Lock-order cycle Account.lock -> Account.lock -> Account.lock"
        + " seen in thread \"main\" only: two threads running these paths at once would"
        + " deadlock.");
    assertThat(stderr.substring(stderr.indexOf("(ERROR)")))
        .contains(" Seen 3 times: 2 cycles of lock instances through this code, by 2 threads\n");
  }

  // ---- different bugs --------------------------------------------------------------------------

  @Test
  void differentSitesAndDifferentLocksThroughOneHelperStayDifferentFindings() throws Exception {
    Fixtures.Outcome run = run("TwoBugs");
    List<Violation> violations = run.report().violations();

    assertThat(violations).as(run.result().toString()).hasSize(3);
    assertThat(violations).extracting(Violation::id).doesNotHaveDuplicates();
    assertAccountCycle(violations.get(0), Severity.ERROR);
    assertThat(violations.get(0).counts()).isEqualTo(new Counts(2, 2, 2));
    assertHelperCycle(violations.get(1), "@gold-then-silver", "@silver-then-gold");
    assertThat(violations.get(1).counts()).as("two vaults").isEqualTo(new Counts(2, 2, 2));
    assertHelperCycle(violations.get(2), "@debit-then-credit", "@credit-then-debit");
    assertThat(violations.get(2).counts()).as("one ledger").isEqualTo(new Counts(1, 1, 2));
    List<String> expected = new ArrayList<>();
    for (Violation violation : violations) {
      expected.add("POTENTIAL_DEADLOCK ERROR " + violation.id());
    }
    assertThat(headers(run)).containsExactlyElementsOf(expected);
  }

  // ---- a stronger finding at the same severity ------------------------------------------------

  @Test
  void anObservedRaceReplacesAPossibleOneInTheJsonAndEachSeverityIsPrintedOnce() throws Exception {
    Fixtures.Outcome run = run("ThreeProducers");
    Violation violation = run.only();
    String site = "fixtures.agent.once.ThreeProducers.send(";

    assertThat(violation.kind()).isEqualTo(Kind.UNSAFE_QUEUE_CHECK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.sites()).containsExactly(site + line("ThreeProducers", "@check") + ")",
        site + line("ThreeProducers", "@act") + ")");
    assertThat(violation.locks()).extracting(LockRef::name).containsExactly("ThreeProducers.QUEUE");
    assertThat(violation.id()).isEqualTo(Findings.stableId(Kind.UNSAFE_QUEUE_CHECK,
        violation.sites()));
    assertThat(violation.observed()).isTrue();
    assertThat(violation.message()).contains("thread \"producer-3\" called size()",
        "thread \"producer-2\" added an element in between (race observed)");
    assertThat(violation.counts().occurrences()).as("reported possible, then observed")
        .isGreaterThanOrEqualTo(2);
    assertThat(violation.counts()).as("by 3 producers, no lock cycle")
        .extracting(Counts::instanceCycles, Counts::threadsSeen).containsExactly(0L, 3L);
    // The queue check grades size() < LIMIT then put() a WARNING until a run shows the limit is
    // the capacity, then an ERROR: printed once per severity, never twice at one.
    assertThat(headers(run)).doesNotHaveDuplicates()
        .endsWith("UNSAFE_QUEUE_CHECK ERROR " + violation.id());
    assertThat(run.result().stderr()).as("printed when first found, as possible")
        .contains("with no lock in common with thread");
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * Runs {@code fixtures.agent.once.FIXTURE} under the agent. Each test proves the instrumentation
   * ran by what it finds (or, when silent, by the edges recorded): the queue fixture takes no
   * lock of its own, so acquisitions prove nothing there.
   */
  private Fixtures.Outcome run(String fixture, String... args) throws Exception {
    Path reportFile = dir.resolve(fixture + ".json");
    ForkedJvm.Result result = Fixtures.withAgent("").report(reportFile)
        .run("fixtures.agent.once." + fixture, args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).as(result.toString()).doesNotContain("failed:");
    assertThat(result.stderr()).as(result.toString()).doesNotContain("internal error");
    return new Fixtures.Outcome(result, Fixtures.readReport(reportFile));
  }

  /** "KIND SEVERITY id" of every finding printed on stderr, in order. */
  private static List<String> headers(Fixtures.Outcome run) {
    List<String> headers = new ArrayList<>();
    Matcher matcher = HEADER.matcher(run.result().stderr());
    while (matcher.find()) {
      headers.add(matcher.group(1) + " " + matcher.group(2) + " " + matcher.group(3));
    }
    return headers;
  }

  /**
   * The transfer cycle: {@code Account.lock} twice, every edge held at {@code @held-from} and
   * acquired at {@code @acquire-to}, and an id made of the site and the lock's name only, so the
   * same in every run whatever the accounts.
   */
  private static void assertAccountCycle(Violation violation, Severity severity) {
    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(severity);
    assertThat(violation.locks()).containsExactly(new LockRef("Account.lock", "java.lang.Object"),
        new LockRef("Account.lock", "java.lang.Object"));
    String acquired = ACCOUNT + line("Account", "@acquire-to") + ")";
    assertThat(violation.sites()).containsExactly(acquired, acquired);
    for (EdgeRef edge : violation.edges()) {
      assertThat(edge.heldAt().get(0)).isEqualTo(ACCOUNT + line("Account", "@held-from") + ")");
      assertThat(edge.acquiredAt().get(0)).isEqualTo(acquired);
    }
    assertThat(violation.id()).isEqualTo(Findings.stableId(Kind.POTENTIAL_DEADLOCK,
        List.of(acquired, "lock:Account.lock")));
  }

  /**
   * A cycle through {@code Vault.both} over two anonymous locks handed in at the two marked
   * lines: its id is made of the helper's site, the locks' type and where they were handed in.
   */
  private static void assertHelperCycle(Violation violation, String... callerMarkers) {
    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.locks()).extracting(LockRef::type).containsOnly("java.lang.Object");
    String acquired = "fixtures.agent.once.Vault.both(" + line("Vault", "@helper-second") + ")";
    assertThat(violation.sites()).containsExactly(acquired, acquired);
    List<String> idParts = new ArrayList<>(violation.sites());
    List<String> callers = new ArrayList<>();
    for (EdgeRef edge : violation.edges()) {
      String caller = edge.heldAt().get(1);
      callers.add(caller.substring(caller.indexOf('(') + 1, caller.length() - 1));
      idParts.add("lock:java.lang.Object from " + caller);
    }
    assertThat(callers).containsExactlyInAnyOrder(
        line("TwoBugs", callerMarkers[0]), line("TwoBugs", callerMarkers[1]));
    assertThat(violation.id()).isEqualTo(Findings.stableId(Kind.POTENTIAL_DEADLOCK, idParts));
  }

  private static String line(String fixture, String marker) {
    return Fixtures.lineOf("once/" + fixture, marker);
  }
}
