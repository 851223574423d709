package dev.lockguard.report;

import static dev.lockguard.report.ReportFixtures.cycle;
import static dev.lockguard.report.ReportFixtures.edge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportTests {

  @Test
  void listsTheLocksTheThreadHeldWhenItTookTheEdge() {
    assertThat(TextReport.render(ReportFixtures.philosophers()))
        .contains("   locks held by \"t1\" then: Table.gate, Philosopher.left\n");
  }

  @Test
  void rendersATwoLockCycleLikeLockdep() {
    assertThat(TextReport.render(ReportFixtures.philosophers()))
        .isEqualTo(
            """
            === lockguard: POTENTIAL_DEADLOCK (ERROR) [pd-1] ===
            Philosopher.left and Philosopher.right are taken in both orders
             Threads: "t1", "t2"

             Lock-order cycle:
               Philosopher.left -> Philosopher.right -> Philosopher.left

             thread "t1" acquired Philosopher.right while holding Philosopher.left:
               held Philosopher.left at:
                 at com.acme.Philosopher.eat(Philosopher.java:20)
               acquired Philosopher.right at:
                 at com.acme.Philosopher.eat(Philosopher.java:21)
               locks held by "t1" then: Table.gate, Philosopher.left

             thread "t2" acquired Philosopher.left while holding Philosopher.right:
               held Philosopher.right at:
                 at com.acme.Philosopher.eatLeftHanded(Philosopher.java:30)
               acquired Philosopher.left at:
                 at com.acme.Philosopher.eatLeftHanded(Philosopher.java:31)

             Possible unsafe locking scenario:

                   t1                      t2
                   ----                    ----
              lock(Philosopher.left);
                                           lock(Philosopher.right);
                                           lock(Philosopher.left);
              lock(Philosopher.right);

             *** DEADLOCK ***

             Locks:
               Philosopher.left   java.util.concurrent.locks.ReentrantLock
               Philosopher.right  java.util.concurrent.locks.ReentrantLock
            """);
  }

  @Test
  void theScenarioTableForShortNamesMatchesLockdepsLayout() {
    Violation cycle = cycle(Severity.ERROR, edge("A", "B", "t1"), edge("B", "A", "t2"));

    assertThat(TextReport.render(cycle))
        .contains("\n   A -> B -> A\n")
        .contains(
            """

             Possible unsafe locking scenario:

                   t1                      t2
                   ----                    ----
              lock(A);
                                           lock(B);
                                           lock(A);
              lock(B);

             *** DEADLOCK ***
            """);
  }

  @Test
  void edgesOfOneThreadGetNumberedColumnsAndANote() {
    Violation cycle = cycle(Severity.WARNING, edge("A", "B", "main"), edge("B", "A", "main"));

    assertThat(TextReport.render(cycle))
        .contains(
            """
                   Thread 1                Thread 2
                   ----                    ----
              lock(A);
                                           lock(B);
                                           lock(A);
              lock(B);

             (every edge was seen in thread "main": one thread per column running this code\
             at once would deadlock)
            """);
  }

  @Test
  void aThreeLockCycleGetsOneColumnPerEdge() {
    Violation cycle =
        cycle(Severity.ERROR, edge("A", "B", "t1"), edge("B", "C", "t2"), edge("C", "A", "t3"));

    assertThat(TextReport.render(cycle))
        .contains("\n   A -> B -> C -> A\n")
        .contains(
            """
                   t1                      t2                           t3
                   ----                    ----                         ----
              lock(A);
                                           lock(B);
                                                                        lock(C);
                                                                        lock(A);
                                           lock(C);
              lock(B);
            """);
  }

  @Test
  void twoEdgesOfOneThreadInOneNestingAreOneColumnEvenWhenTheChainWrapsAround() {
    // t1 held A, took B, then C while still holding A: one thread, one column, two locks held.
    EdgeRef bc = new EdgeRef("B", "C", "t1", List.of("f"), List.of("g"), List.of("A", "B"));
    EdgeRef ca = new EdgeRef("C", "A", "t2", List.of("f"), List.of("g"), List.of("C"));
    EdgeRef ab = new EdgeRef("A", "B", "t1", List.of("f"), List.of("g"), List.of("A"));
    Violation cycle = cycle(Severity.ERROR, bc, ca, ab);

    assertThat(TextReport.render(cycle))
        .contains("\n   B -> C -> A -> B\n")
        .contains(
            """
                   t1                      t2
                   ----                    ----
              lock(A);
              lock(B);
                                           lock(C);
                                           lock(A);
              lock(C);

             *** DEADLOCK ***
            """);
  }

  @Test
  void aThreadWithTwoSeparateColumnsIsNamedAgainInTheSecond() {
    EdgeRef ab = new EdgeRef("A", "B", "t1", List.of("f"), List.of("g"), List.of("A"));
    EdgeRef bc = new EdgeRef("B", "C", "t2", List.of("f"), List.of("g"), List.of("B"));
    EdgeRef ca = new EdgeRef("C", "A", "t1", List.of("f"), List.of("g"), List.of("C"));

    assertThat(TextReport.render(cycle(Severity.ERROR, ab, bc, ca)))
        .contains("       t1                      t2                           t1 (again)\n");
  }

  @Test
  void longNamesWidenTheColumns() {
    String list = "Collections$SynchronizedList.mutex";
    Violation cycle =
        cycle(
            Severity.ERROR,
            edge(list, "Hashtable@1a2b", "pool-1-thread-1"),
            edge("Hashtable@1a2b", list, "pool-1-thread-2"));

    assertThat(TextReport.render(cycle))
        .contains(
            """
                   pool-1-thread-1                         pool-1-thread-2
                   ----                                    ----
              lock(Collections$SynchronizedList.mutex);
                                                           lock(Hashtable@1a2b);
                                                           lock(Collections$SynchronizedList.mutex);
              lock(Hashtable@1a2b);
            """);
  }

  @Test
  void edgesOutOfOrderAreChainedFromTheFirst() {
    Violation cycle =
        cycle(Severity.ERROR, edge("A", "B", "t1"), edge("C", "A", "t3"), edge("B", "C", "t2"));

    assertThat(TextReport.render(cycle)).contains("\n   A -> B -> C -> A\n");
  }

  @Test
  void aSingleEdgeIsAnOrderWithoutATable() {
    Violation violation =
        new Violation(
            "lo-1",
            Kind.LOCK_ORDER_VIOLATION,
            Severity.ERROR,
            "Bank.audit (rank 1) taken while holding Account.lock (rank 2)",
            List.of("teller"),
            List.of(),
            List.of(edge("Account.lock", "Bank.audit", "teller")),
            List.of());

    assertThat(TextReport.render(violation))
        .contains("\n Lock order:\n   Account.lock -> Bank.audit\n")
        .doesNotContain("Possible unsafe locking scenario");
  }

  @Test
  void rendersAQueueFindingWithItsQueueUnderQueueNotLocks() {
    assertThat(TextReport.render(ReportFixtures.unsafeQueueCheck()))
        .isEqualTo(
            """
            === lockguard: UNSAFE_QUEUE_CHECK (WARNING) [uq-1] ===
            queue emptiness checked, then polled, with no lock around both
             Threads: "worker-1"

             Queue:
               Worker.jobs  java.util.concurrent.LinkedBlockingQueue

             Sites:
               at com.acme.Worker.next(Worker.java:40)
               at com.acme.Worker.run(Worker.java:12)
            """);
  }

  @Test
  void aFindingSeenMoreThanOnceSaysHowOftenInOneLineUnderItsThreads() {
    Violation cycle = ReportFixtures.philosophers().withCounts(new Violation.Counts(5, 3, 4));
    Violation queue = ReportFixtures.unsafeQueueCheck().withCounts(new Violation.Counts(2, 0, 1));

    assertThat(TextReport.render(cycle)).startsWith("""
        === lockguard: POTENTIAL_DEADLOCK (ERROR) [pd-1] ===
        Philosopher.left and Philosopher.right are taken in both orders
         Threads: "t1", "t2"
         Seen 5 times: 3 cycles of lock instances through this code, by 4 threads

         Lock-order cycle:
        """);
    assertThat(TextReport.render(queue)).contains("""
         Threads: "worker-1"
         Seen 2 times by 1 thread

        """);
    assertThat(TextReport.render(ReportFixtures.philosophers())).as("seen once: no line")
        .doesNotContain(" Seen ");
  }

  @Test
  void aRealDeadlockSaysWhoWaitsForWhat() {
    Violation deadlock =
        new Violation(
            "dl-1",
            Kind.DEADLOCK,
            Severity.ERROR,
            "2 threads are deadlocked",
            List.of("t1", "t2"),
            List.of(),
            List.of(edge("A", "B", "t1"), edge("B", "A", "t2")),
            List.of());

    assertThat(TextReport.render(deadlock))
        .contains(" thread \"t1\" waits for B while holding A:\n")
        .contains("   waits for B at:\n")
        .doesNotContain("Possible unsafe locking scenario");
  }

  @Test
  void controlCharactersInNamesCannotForgeLines() {
    Violation violation =
        cycle(Severity.ERROR, edge("A\n=== fake", "B", "t\u00071"), edge("B", "A\n=== fake", "t2"));

    String text = TextReport.render(violation);

    assertThat(text).contains("A\\n=== fake -> B -> A\\n=== fake").contains("\"t\\u00071\"");
    assertThat(text.lines()).filteredOn(line -> line.startsWith("===")).hasSize(1);
  }

  @Test
  void printableEscapesWhatWouldBreakLinesOrEncoding() {
    assertThat(TextReport.printable("a\nb\r\tc\u0007\u0085\u2028 \uD800 é \uD83D\uDE00"))
        .isEqualTo("a\\nb\\r\\tc\\u0007\\u0085\\u2028 \\uD800 é \uD83D\uDE00");
    assertThat(TextReport.printable("Philosopher.left")).isEqualTo("Philosopher.left");
  }

  @Test
  void aSteeredCycleSaysWhatSteeringShowedInItsFirstLines() {
    Violation confirmed = ReportFixtures.cycle(Violation.Severity.ERROR,
        ReportFixtures.edge("A", "B", "t1"), ReportFixtures.edge("B", "A", "t2"))
        .withConfirmation(new Violation.Confirmation(Violation.Confirmation.Status.CONFIRMED, 1,
            2, 2, java.util.List.of(
                new Violation.Confirmation.Witness("t1", "A", "B", java.util.List.of("x.Y.a(Y.java:3)")),
                new Violation.Confirmation.Witness("t2", "B", "A", java.util.List.of("x.Y.b(Y.java:7)")))));

    assertThat(TextReport.render(confirmed)).startsWith(
        "=== lockguard: POTENTIAL_DEADLOCK (ERROR, CONFIRMED) [c-1] ===\n"
            + "cycle\n"
            + " CONFIRMED on 1 steered run: every thread held its lock and was about to take the"
            + " next one; lockguard stopped one of them before it blocked.\n"
            + "   thread \"t1\" held A and was taking B at:\n"
            + "     at x.Y.a(Y.java:3)\n"
            + "   thread \"t2\" held B and was taking A at:\n"
            + "     at x.Y.b(Y.java:7)\n");

    Violation notReproduced = confirmed.withConfirmation(new Violation.Confirmation(
        Violation.Confirmation.Status.NOT_REPRODUCED, 3, 1, 2, java.util.List.of()));
    assertThat(TextReport.render(notReproduced)).startsWith(
        "=== lockguard: POTENTIAL_DEADLOCK (ERROR, NOT_REPRODUCED) [c-1] ===\n"
            + "cycle\n"
            + " NOT_REPRODUCED in 3 steered runs: at best 1 of 2 edges of the cycle were taken at"
            + " once. Not seen in this test; not proof that production cannot deadlock.\n");
  }

  @Test
  void aConfirmationOutranksNoneAndConfirmedOutranksNotReproduced() {
    Violation plain = ReportFixtures.cycle(Violation.Severity.ERROR,
        ReportFixtures.edge("A", "B", "t1"), ReportFixtures.edge("B", "A", "t2"));
    Violation tried = plain.withConfirmation(new Violation.Confirmation(
        Violation.Confirmation.Status.NOT_REPRODUCED, 1, 1, 2, java.util.List.of()));
    Violation confirmed = plain.withConfirmation(new Violation.Confirmation(
        Violation.Confirmation.Status.CONFIRMED, 1, 2, 2, java.util.List.of()));

    assertThat(tried.isWorseThan(plain)).isTrue();
    assertThat(confirmed.isWorseThan(tried)).isTrue();
    assertThat(plain.isWorseThan(confirmed)).isFalse();
    assertThat(plain.mergedWith(confirmed).confirmation()).isEqualTo(confirmed.confirmation());
    assertThat(plain.withSeverity(Violation.Severity.WARNING, "m").isWorseThan(plain)).isFalse();
  }
}
