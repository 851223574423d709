package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFixtures;
import dev.lockguard.report.Violation;
import dev.lockguard.testsupport.ForkedJvm;
import dev.lockguard.testsupport.RunningJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad options stop the JVM with a sentence; a killed JVM still leaves a valid report. */
class BadInputIT {
  @TempDir Path dir;

  @Test
  void unknownOptionStopsTheJvmAndNamesTheKey() throws Exception {
    ForkedJvm.Result result = Fixtures.withAgent("polcy=throw").run("fixtures.agent.TwoMonitors");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr())
        .contains("lockguard: unknown option \"polcy\"")
        .contains("Valid keys: report, policy, order, include, exclude")
        .doesNotContain("\tat ");
    assertThat(result.stdout()).isEmpty();
  }

  @Test
  void badValueNamesTheKeyAndTheValidValues() throws Exception {
    ForkedJvm.Result result = Fixtures.withAgent("policy=boom").run("fixtures.agent.TwoMonitors");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr())
        .contains("option \"policy\" has the bad value \"boom\"")
        .contains("Valid values: record, throw")
        .doesNotContain("\tat ");
  }

  @Test
  void badSystemPropertyIsCheckedLikeTheAgentArgument() throws Exception {
    ForkedJvm.Result result = Fixtures.withAgent("")
        .jvmArg("-Dlockguard.order=sideways")
        .run("fixtures.agent.TwoMonitors");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("option \"order\" has the bad value \"sideways\"")
        .contains("graph, ascending");
  }

  @Test
  void anOptionGivenTwiceStopsTheJvmAndAnUnknownLockguardPropertyIsOneWarningLine()
      throws Exception {
    ForkedJvm.Result twice = Fixtures.withAgent("policy=throw,policy=record")
        .run("fixtures.agent.TwoMonitors");
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.stderr()).isEqualTo("lockguard: option \"policy\" is given twice in"
        + " -javaagent:...=policy=throw,policy=record. Give each option once."
        + System.lineSeparator());

    ForkedJvm.Result typo = Fixtures.withAgent("")
        .jvmArg("-Dlockguard.polcy=throw")
        .jvmArg("-Dlockguard.failOn.severity=WARNING")
        .run("fixtures.agent.TwoMonitors");
    assertThat(typo.exitCode()).isZero();
    assertThat(typo.stderr().lines().filter(line -> line.startsWith("lockguard: ignoring")))
        .containsExactly("lockguard: ignoring the system property -Dlockguard.polcy: it is no"
            + " option of the agent (report, policy, order, include, exclude, watchdog, jdk,"
            + " latches, confirmFrom, confirmHold, classinit) and no parameter of the JUnit extension"
            + " (failOn.kinds, failOn.severity, deadlockTimeout, reportDir, selfAttach, agentJar,"
            + " confirm, confirm.attempts, confirm.hold, failOn.unconfirmed). Check its spelling.");
    assertThat(typo.stderr()).as("the agent ran").contains("=== lockguard: POTENTIAL_DEADLOCK");
  }

  @Test
  void badWatchdogPeriodIsRejected() throws Exception {
    ForkedJvm.Result result = Fixtures.withAgent("watchdog=1s").run("fixtures.agent.TwoMonitors");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr())
        .contains("option \"watchdog\" has the bad value \"1s\"")
        .contains("in milliseconds, for example watchdog=1000, or watchdog=0 to turn it off")
        .doesNotContain("\tat ");
  }

  @Test
  void malformedPairAndBadGlobAreRejected() throws Exception {
    ForkedJvm.Result pair = Fixtures.withAgent("report").run("fixtures.agent.TwoMonitors");
    assertThat(pair.exitCode()).isEqualTo(2);
    assertThat(pair.stderr()).contains("\"report\"").contains("is not key=value");

    ForkedJvm.Result glob =
        Fixtures.withAgent("include=com..acme").run("fixtures.agent.TwoMonitors");
    assertThat(glob.exitCode()).isEqualTo(2);
    assertThat(glob.stderr()).contains("option \"include\" has the bad pattern \"com..acme\"");
  }

  @Test
  void reportSurvivesSigkillRightAfterTheViolation() throws Exception {
    Path reportFile = dir.resolve("killed.json");
    try (RunningJvm jvm = Fixtures.withAgent("report=" + reportFile)
        .start("fixtures.agent.KilledAfterViolation")) {
      jvm.awaitLine("INVERSION-DONE"); // the fixture reached its inversion

      assertThat(jvm.kill()).as("SIGKILL: no shutdown hook runs").isEqualTo(137);
    }

    Report report = Fixtures.readReport(reportFile);
    assertThat(report.violations()).hasSize(1);
    Violation violation = report.violations().get(0);
    assertThat(violation.kind()).isEqualTo(Violation.Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.edges()).hasSize(2);
    try (var files = Files.list(dir)) {
      assertThat(files).as("no temporary files left beside the report").hasSize(1);
    }
  }

  @Test
  void reportCommandPrintsTheTextReportAndRejectsBadFiles() throws Exception {
    Path reportFile = dir.resolve("two.json");
    Fixtures.withAgent("report=" + reportFile).run("fixtures.agent.TwoMonitors");
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"schema\": \"lockguard-report/1\",");

    ForkedJvm.Result good = runCli("report", reportFile.toString());
    assertThat(good.exitCode()).as(good.toString()).isZero();
    assertThat(good.stdout()).contains("POTENTIAL_DEADLOCK")
        .contains("TwoMonitors.checking -> TwoMonitors.savings")
        .contains("*** DEADLOCK ***");

    ForkedJvm.Result bad = runCli("report", broken.toString(), dir.resolve("missing.json").toString());
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr().lines().toList()).hasSize(2)
        .anySatisfy(line -> assertThat(line).contains("broken.json"))
        .anySatisfy(line -> assertThat(line).contains("missing.json"));
    assertThat(bad.stderr()).doesNotContain("\tat ");
  }

  @Test
  void reportCommandRendersEveryFormatWithTheRuntimeFromItsEmbeddedJar() throws Exception {
    Path reportFile = Files.writeString(dir.resolve("full.json"),
        JsonReportWriter.toJson(ReportFixtures.fullReport()));

    ForkedJvm.Result json = runCli("report", "--format", "json", reportFile.toString());
    ForkedJvm.Result dot = runCli("report", "--format=dot", reportFile.toString());

    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.stderr()).isEmpty();
    assertThat(JsonReportReader.read(json.stdout()))
        .usingRecursiveComparison()
        .isEqualTo(ReportFixtures.fullReport());
    assertThat(dot.exitCode()).as(dot.toString()).isZero();
    assertThat(dot.stdout())
        .startsWith("digraph lockguard {\n")
        .contains("  \"Philosopher.left\" -> \"Philosopher.right\" [label=\"t1\"];\n");
  }

  /** {@code java -jar lockguard-agent.jar ARGS}: the report CLI. */
  private static ForkedJvm.Result runCli(String... args) throws Exception {
    return ForkedJvm.java().timeout(Duration.ofSeconds(60)).runJar(Fixtures.AGENT_JAR, args);
  }
}
