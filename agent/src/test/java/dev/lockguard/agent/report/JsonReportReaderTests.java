package dev.lockguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFixtures;
import dev.lockguard.report.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportReaderTests {

  private static final String MINIMAL =
      """
      {
        "schema": "lockguard-report/1",
        "jvm": {"pid": 7, "javaVersion": "21", "mainClass": "Main", "startedAt": "t0"},
        "violations": [],
        "stats": {"locksSeen": 1, "edges": 2, "acquisitions": 3}
      }
      """;

  @Test
  void roundTripsEveryFieldIncludingStringsThatNeedEscaping() {
    Report original = ReportFixtures.fullReport();

    String json = JsonReportWriter.toJson(original);
    Report read = JsonReportReader.read(json);

    assertThat(read).usingRecursiveComparison().isEqualTo(original);
    assertThat(read.violations().get(2).message())
        .isEqualTo(original.violations().get(2).message());
    assertThat(JsonReportWriter.toJson(read)).isEqualTo(json);
  }

  @Test
  void roundTripsTheConfirmationOfSteeredCycles() {
    Violation.Confirmation confirmed = new Violation.Confirmation(
        Violation.Confirmation.Status.CONFIRMED, 2, 2, 2, java.util.List.of(
            new Violation.Confirmation.Witness("philosopher-1", "Philosopher.left",
                "Philosopher.right", java.util.List.of("com.acme.Philosopher.eat(P.java:12)")),
            new Violation.Confirmation.Witness("philosopher-2", "Philosopher.right",
                "Philosopher.left", java.util.List.of("com.acme.Philosopher.eat(P.java:14)"))));
    Violation.Confirmation notReproduced = new Violation.Confirmation(
        Violation.Confirmation.Status.NOT_REPRODUCED, 3, 1, 2, java.util.List.of());
    Report original = new Report(ReportFixtures.fullReport().jvm(), java.util.List.of(
        ReportFixtures.philosophers().withConfirmation(confirmed),
        ReportFixtures.cycle(Violation.Severity.ERROR, ReportFixtures.edge("A", "B", "t"),
            ReportFixtures.edge("B", "A", "u")).withConfirmation(notReproduced)),
        ReportFixtures.fullReport().stats());

    String json = JsonReportWriter.toJson(original);
    Report read = JsonReportReader.read(json);

    assertThat(json).contains("\"status\": \"CONFIRMED\"").contains("\"edgesReached\": 2")
        .contains("\"status\": \"NOT_REPRODUCED\"");
    assertThat(read.violations().get(0).confirmation()).isEqualTo(confirmed);
    assertThat(read.violations().get(1).confirmation()).isEqualTo(notReproduced);
    assertThat(ReportFixtures.philosophers().confirmation()).as("absent unless steered").isNull();
    assertThat(JsonReportWriter.toJson(read)).isEqualTo(json);
  }

  @Test
  void roundTripsTheLockOrderGraphAndTheWorkingDirectory() {
    Report original = ReportFixtures.withGraph();

    String json = JsonReportWriter.toJson(original);

    assertThat(json).contains("\"stands\": \"ONE\"", "\"toShared\": true", "\"truncated\": true",
            "\"workingDirectory\": \"/home/me/bank\"")
        .doesNotContain("\"fromShared\"");
    assertThat(JsonReportReader.read(json)).usingRecursiveComparison().isEqualTo(original);
    assertThat(JsonReportWriter.toJson(ReportFixtures.fullReport())).doesNotContain("\"graph\"");
  }

  @Test
  void readsAMinimalReport() {
    Report report = JsonReportReader.read(MINIMAL);

    assertThat(report.jvm()).isEqualTo(new Report.JvmInfo(7, "21", "Main", "t0"));
    assertThat(report.violations()).isEmpty();
    assertThat(report.stats()).isEqualTo(new Report.Stats(1, 2, 3));
  }

  @Test
  void ignoresUnknownFieldsAtEveryLevel() {
    String json =
        """
        {"future": {"nested": [1, 2.5e-3, true, false, null]},
         "schema": "lockguard-report/1",
         "jvm": {"pid": -1, "javaVersion": "25", "mainClass": "M", "startedAt": "s", "vendor": "x"},
         "violations": [{"id": "v", "kind": "DEADLOCK", "severity": "ERROR", "message": "m",
           "threads": ["a"], "locks": [{"name": "L", "type": "T", "rank": 3}],
           "edges": [], "sites": [], "sarif": {"level": "error"}}],
         "stats": {"locksSeen": 0, "edges": 0, "acquisitions": 0, "ns": 12}}
        """;

    Report report = JsonReportReader.read(json);

    assertThat(report.jvm().pid()).isEqualTo(-1);
    assertThat(report.violations()).singleElement().satisfies(v -> {
      assertThat(v.kind()).isEqualTo(Violation.Kind.DEADLOCK);
      assertThat(v.locks()).containsExactly(new Violation.LockRef("L", "T"));
    });
  }

  @Test
  void aReportWrittenBeforeCountsExistedReadsAsEveryFindingSeenOnce() {
    String json = JsonReportWriter.toJson(ReportFixtures.fullReport())
        .replaceAll("\\s*\"(observed|occurrences|instanceCycles|threadsSeen)\": \\w+,", "");
    assertThat(json).doesNotContain("occurrences");

    Report report = JsonReportReader.read(json);

    assertThat(report.violations()).extracting(Violation::counts).containsExactly(
        new Violation.Counts(1, 1, 2), new Violation.Counts(1, 0, 1),
        new Violation.Counts(1, 0, 2));
    assertThat(report.violations()).noneMatch(Violation::observed);
  }

  @Test
  void countsOutOfRangeOrOfTheWrongTypeAreNamed() {
    String json = JsonReportWriter.toJson(ReportFixtures.fullReport());

    assertThatThrownBy(() -> JsonReportReader.read(
        json.replaceFirst("\"occurrences\": 5", "\"occurrences\": 0")))
        .hasMessageEndingWith("field \"violations[0].occurrences\" must be at least 1 but is 0");
    assertThatThrownBy(() -> JsonReportReader.read(
        json.replaceFirst("\"threadsSeen\": 4", "\"threadsSeen\": -1")))
        .hasMessageEndingWith("field \"violations[0].threadsSeen\" must be at least 0 but is -1");
    assertThatThrownBy(() -> JsonReportReader.read(
        json.replaceFirst("\"observed\": true", "\"observed\": \"yes\"")))
        .hasMessageEndingWith("field \"violations[1].observed\" must be a boolean but is a string");
  }

  @Test
  void decodesEveryEscapeIncludingSurrogatePairs() {
    String escaped = "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\uD83D\\uDE00\"";
    String json = MINIMAL.replace("\"Main\"", escaped);

    assertThat(JsonReportReader.read(json).jvm().mainClass())
        .isEqualTo("q\" b\\ s/ \b\f\n\r\t é \uD83D\uDE00");
  }

  @Test
  void acceptsAByteOrderMark() {
    assertThat(JsonReportReader.read("\uFEFF" + MINIMAL).jvm().pid()).isEqualTo(7);
  }

  @Test
  void truncatedInputNamesTheEndOfInput() {
    String truncated = MINIMAL.substring(0, MINIMAL.indexOf("\"stats\""));

    assertThatThrownBy(() -> JsonReportReader.read(truncated, "report.json"))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("report.json: line 5, column 3: expected a field name in quotes but found"
            + " end of input");
  }

  @Test
  void truncatedInsideAStringSaysTheStringIsNotClosed() {
    String truncated = MINIMAL.substring(0, MINIMAL.indexOf("Main") + 2);

    assertThatThrownBy(() -> JsonReportReader.read(truncated))
        .hasMessage("line 3, column 55: string is not closed before the end of input");
  }

  @Test
  void unexpectedCharacterNamesLineColumnAndWhatWasExpected() {
    String json = "{\n  \"schema\": \"lockguard-report/1\"\n  x";

    assertThatThrownBy(() -> JsonReportReader.read(json, "report.json"))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("report.json: line 3, column 3: expected ',' or '}' but found 'x'");
  }

  @Test
  void wrongSchemaIsNotALockguardReport() {
    String json = MINIMAL.replace("lockguard-report/1", "foo");

    assertThatThrownBy(() -> JsonReportReader.read(json, "report.json"))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(
            "report.json: not a lockguard report: field \"schema\" is \"foo\","
                + " expected \"lockguard-report/1\"");
  }

  @Test
  void newerSchemaVersionIsCalledUnsupported() {
    String json = MINIMAL.replace("lockguard-report/1", "lockguard-report/2");

    assertThatThrownBy(() -> JsonReportReader.read(json))
        .hasMessage(
            "unsupported lockguard report version: field \"schema\" is \"lockguard-report/2\","
                + " expected \"lockguard-report/1\"");
  }

  @Test
  void missingSchemaOrNonObjectIsNotALockguardReport() {
    assertThatThrownBy(() -> JsonReportReader.read("{\"jvm\": {}}"))
        .hasMessage("not a lockguard report: field \"schema\" is missing");
    assertThatThrownBy(() -> JsonReportReader.read("[1, 2]"))
        .hasMessage("not a lockguard report: expected a JSON object but found an array");
    assertThatThrownBy(() -> JsonReportReader.read(MINIMAL.replace("\"lockguard-report/1\"", "1")))
        .hasMessageContaining("field \"schema\" is a number, expected \"lockguard-report/1\"");
  }

  @Test
  void missingFieldIsNamedWithItsPath() {
    String json = MINIMAL.replace("\"mainClass\": \"Main\", ", "");

    assertThatThrownBy(() -> JsonReportReader.read(json, "report.json"))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("report.json: line 3, column 10: missing field \"jvm.mainClass\"");
  }

  @Test
  void missingFieldInsideAViolationIsNamedWithItsIndex() {
    String json =
        JsonReportWriter.toJson(ReportFixtures.fullReport())
            .replaceFirst("\"severity\": \"WARNING\",", "");

    assertThatThrownBy(() -> JsonReportReader.read(json))
        .hasMessageEndingWith("missing field \"violations[1].severity\"");
  }

  @Test
  void wrongTypeNamesFieldExpectedAndFoundTypes() {
    assertThatThrownBy(() -> JsonReportReader.read(MINIMAL.replace("7,", "\"7\",")))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("line 3, column 18: field \"jvm.pid\" must be an integer but is a string");
    assertThatThrownBy(() -> JsonReportReader.read(MINIMAL.replace("[]", "{}")))
        .hasMessage("line 4, column 17: field \"violations\" must be an array but is an object");
    assertThatThrownBy(() -> JsonReportReader.read(MINIMAL.replace("[]", "[null]")))
        .hasMessage(
            "line 4, column 18: field \"violations[0]\" must be an object but is null");
  }

  @Test
  void wrongTypeInsideAStringListNamesTheElement() {
    String json =
        JsonReportWriter.toJson(ReportFixtures.fullReport())
            .replaceFirst("\"t1\",", "42,");

    assertThatThrownBy(() -> JsonReportReader.read(json))
        .hasMessageEndingWith(
            "field \"violations[0].threads[0]\" must be a string but is a number");
  }

  @Test
  void nonIntegerNumbersAreRejected() {
    assertThatThrownBy(() -> JsonReportReader.read(MINIMAL.replace("7,", "7.5,")))
        .hasMessageEndingWith("field \"jvm.pid\" must be an integer (64-bit) but is 7.5");
    assertThatThrownBy(() -> JsonReportReader.read(MINIMAL.replace("7,", "99999999999999999999,")))
        .hasMessageEndingWith("must be an integer (64-bit) but is 99999999999999999999");
  }

  @Test
  void unknownKindListsTheValidOnes() {
    String json =
        JsonReportWriter.toJson(ReportFixtures.fullReport())
            .replaceFirst("POTENTIAL_DEADLOCK", "LIVELOCK");

    assertThatThrownBy(() -> JsonReportReader.read(json))
        .hasMessageEndingWith(
            "field \"violations[0].kind\" is \"LIVELOCK\", expected one of POTENTIAL_DEADLOCK,"
                + " LOCK_ORDER_VIOLATION, DEADLOCK, UNSAFE_QUEUE_CHECK, REUSED_LATCH");
  }

  @Test
  void syntaxErrorsNameTheProblem() {
    assertThatThrownBy(() -> JsonReportReader.read("")).hasMessage("the input is empty");
    assertThatThrownBy(() -> JsonReportReader.read("{} x"))
        .hasMessage("line 1, column 4: expected end of input but found 'x'");
    assertThatThrownBy(() -> JsonReportReader.read("{\"a\": tru}"))
        .hasMessage("line 1, column 7: expected a value but found \"tru}\"");
    assertThatThrownBy(() -> JsonReportReader.read("{\"a\": 01}"))
        .hasMessage("line 1, column 8: expected ',' or '}' but found '1'");
    assertThatThrownBy(() -> JsonReportReader.read("{\"a\": -}"))
        .hasMessage("line 1, column 8: expected a digit but found '}'");
    assertThatThrownBy(() -> JsonReportReader.read("{\"a\": \"\\x\"}"))
        .hasMessage("line 1, column 8: invalid escape \"\\\\x\" in a string");
    assertThatThrownBy(() -> JsonReportReader.read("{\"a\": \"\\u12g4\"}"))
        .hasMessage("line 1, column 8: \\u escape needs four hex digits but found \"\\\\u12g4\"");
    assertThatThrownBy(() -> JsonReportReader.read("{\"a\": \"x\ny\"}"))
        .hasMessage("line 1, column 9: control character U+000A in a string must be escaped");
    assertThatThrownBy(() -> JsonReportReader.read("{\"a\": 1, \"a\": 2}"))
        .hasMessage("line 1, column 10: duplicate field \"a\"");
    assertThatThrownBy(() -> JsonReportReader.read("{a: 1}"))
        .hasMessage("line 1, column 2: expected a field name in quotes but found 'a'");
    assertThatThrownBy(() -> JsonReportReader.read("[1,]"))
        .hasMessage("line 1, column 4: expected a value but found ']'");
  }

  @Test
  void deepNestingFailsWithAMessageNotAStackOverflow() {
    String deep = "[".repeat(100_000);

    assertThatThrownBy(() -> JsonReportReader.read(deep))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage("line 1, column 513: nested deeper than 512 levels");
  }

  @Test
  void readsAFileAndNamesItInErrors(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("good.json");
    Files.writeString(good, JsonReportWriter.toJson(ReportFixtures.fullReport()));
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"schema\": \"lockguard-report/1\"}");

    assertThat(JsonReportReader.read(good).violations()).hasSize(3);
    assertThatThrownBy(() -> JsonReportReader.read(bad))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(bad + ": line 1, column 1: missing field \"jvm\"");
  }

  @Test
  void rejectsAFileThatIsNotUtf8(@TempDir Path dir) throws IOException {
    Path latin1 = dir.resolve("latin1.json");
    Files.write(latin1, MINIMAL.replace("Main", "Ma\u00efn").getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> JsonReportReader.read(latin1))
        .isInstanceOf(ReportFormatException.class)
        .hasMessage(latin1 + ": not a lockguard report: not UTF-8 text");
  }

  @Test
  void errorMessagesStayOnOneLine() {
    String json = MINIMAL.replace("lockguard-report/1", "line\\nbreak");

    assertThatThrownBy(() -> JsonReportReader.read(json))
        .hasMessage(
            "not a lockguard report: field \"schema\" is \"line\\u000Abreak\","
                + " expected \"lockguard-report/1\"");
  }
}
