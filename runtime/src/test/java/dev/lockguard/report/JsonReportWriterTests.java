package dev.lockguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReportWriterTests {

  @Test
  void writesTheSchemaPrettyPrintedWithTwoSpaces() {
    Report report =
        new Report(
            ReportFixtures.jvm(),
            List.of(ReportFixtures.unsafeQueueCheck()),
            ReportFixtures.stats());

    assertThat(JsonReportWriter.toJson(report))
        .isEqualTo(
            """
            {
              "schema": "lockguard-report/1",
              "jvm": {
                "pid": 4242,
                "javaVersion": "17.0.15",
                "mainClass": "com.acme.Dining",
                "startedAt": "2026-11-25T14:00:00Z"
              },
              "violations": [
                {
                  "id": "uq-1",
                  "kind": "UNSAFE_QUEUE_CHECK",
                  "severity": "WARNING",
                  "message": "queue emptiness checked, then polled, with no lock around both",
                  "occurrences": 1,
                  "threadsSeen": 1,
                  "threads": [
                    "worker-1"
                  ],
                  "locks": [
                    {
                      "name": "Worker.jobs",
                      "type": "java.util.concurrent.LinkedBlockingQueue"
                    }
                  ],
                  "edges": [],
                  "sites": [
                    "com.acme.Worker.next(Worker.java:40)",
                    "com.acme.Worker.run(Worker.java:12)"
                  ]
                }
              ],
              "stats": {
                "locksSeen": 12,
                "edges": 3,
                "acquisitions": 1500,
                "latchesSeen": 0
              }
            }
            """);
  }

  @Test
  void writesAnEmptyViolationListAsEmptyBrackets() {
    Report report = new Report(ReportFixtures.jvm(), List.of(), ReportFixtures.stats());

    assertThat(JsonReportWriter.toJson(report)).contains("\n  \"violations\": [],\n");
  }

  @Test
  void writesEdgesWithBothStacks() {
    Report report =
        new Report(
            ReportFixtures.jvm(), List.of(ReportFixtures.philosophers()), ReportFixtures.stats());

    assertThat(JsonReportWriter.toJson(report))
        .contains(
            """
                    {
                      "from": "Philosopher.left",
                      "to": "Philosopher.right",
                      "thread": "t1",
                      "heldAt": [
                        "com.acme.Philosopher.eat(Philosopher.java:20)"
                      ],
                      "acquiredAt": [
                        "com.acme.Philosopher.eat(Philosopher.java:21)"
                      ],
                      "held": [
                        "Table.gate",
                        "Philosopher.left"
                      ]
                    },
            """);
  }

  @Test
  void writesHowOftenAFindingWasSeenAndWhetherItWasObserved() {
    Violation cycle = ReportFixtures.philosophers().withCounts(new Violation.Counts(5, 3, 4));
    Violation race = ReportFixtures.unsafeQueueCheck().withObserved(true)
        .withCounts(new Violation.Counts(2, 0, 2));
    Report report = new Report(ReportFixtures.jvm(), List.of(cycle, race), ReportFixtures.stats());

    String json = JsonReportWriter.toJson(report);

    assertThat(json)
        .contains("\"Philosopher.left and Philosopher.right are taken in both orders\",\n"
            + "      \"occurrences\": 5,\n"
            + "      \"instanceCycles\": 3,\n"
            + "      \"threadsSeen\": 4,\n"
            + "      \"threads\": [");
    assertThat(json).as("instanceCycles only for lock-order cycles")
        .contains("\"queue emptiness checked, then polled, with no lock around both\",\n"
            + "      \"observed\": true,\n"
            + "      \"occurrences\": 2,\n"
            + "      \"threadsSeen\": 2,\n"
            + "      \"threads\": [");
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(quoted("say \"hi\" to C:\\temp")).isEqualTo("\"say \\\"hi\\\" to C:\\\\temp\"");
    assertThat(quoted("a\nb\tc\u0000d\u001fe\u007f"))
        .isEqualTo("\"a\\u000Ab\\u0009c\\u0000d\\u001Fe\\u007F\"");
  }

  @Test
  void escapesLineSeparatorsAndLoneSurrogatesButKeepsPairs() {
    assertThat(quoted("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
    assertThat(quoted("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
    assertThat(quoted("x\uD800y\uDC00")).isEqualTo("\"x\\uD800y\\uDC00\"");
    assertThat(quoted("é€")).isEqualTo("\"é€\"");
  }

  private static String quoted(String text) {
    return JsonReportWriter.appendQuoted(new StringBuilder(), text).toString();
  }
}
