package dev.lockguard.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.testsupport.SarifSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the invoker's real Maven builds of the sample projects in {@code src/it} left behind: their
 * logs and reports. The invoker checked each build's result (see each {@code invoker.properties});
 * these tests check why.
 */
class PluginIT {
  private static final Path IT = Path.of(System.getProperty("lockguard.itDirectory",
      "target/it"));

  @Test
  void checkFailsOnACycleWhoseHalvesRanInTwoForkedJvmsNamingBothLocks() throws IOException {
    Path project = IT.resolve("cross-jvm-cycle");
    String log = Files.readString(project.resolve("build.log"));
    List<Path> perJvm = perJvmReports(project);

    assertThat(perJvm).as("one report per forked JVM").hasSize(2);
    for (Path report : perJvm) {
      assertThat(JsonReportReader.read(report).violations()).as("no JVM saw the cycle").isEmpty();
    }
    Violation cycle = onlyFinding(project);
    assertThat(cycle.kind()).isEqualTo(Violation.Kind.POTENTIAL_DEADLOCK);
    assertThat(cycle.severity()).isEqualTo(Violation.Severity.ERROR);
    assertThat(cycle.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("Locks.FIRST", "Locks.SECOND");
    assertThat(cycle.sites()).containsExactlyInAnyOrder(
        "demo.Locks.firstThenSecond(Locks.java:12)", "demo.Locks.secondThenFirst(Locks.java:20)");
    assertThat(Files.readString(project.resolve("target/lockguard/lockguard.txt")))
        .startsWith("==> merged 2 reports: ")
        .containsPattern("\n==> 2 JVMs: 2 x surefire fork in \\S*cross-jvm-cycle, Java [^(]+"
            + " \\(pids \\d+, \\d+\\) <==\n");
    assertThat(log)
        .contains("[ERROR] Failed to execute goal dev.lockguard:lockguard-maven-plugin:")
        .contains(":check (default) on project cross-jvm-cycle: lockguard: 1 finding at or above"
            + " ERROR:\n  POTENTIAL_DEADLOCK ERROR: Lock-order cycle ")
        .contains(" across JVMs (")
        .containsPattern("    locks: Locks\\.(FIRST, Locks\\.SECOND|SECOND, Locks\\.FIRST)\n")
        .contains("demo.Locks.firstThenSecond(Locks.java:12)")
        .contains("demo.Locks.secondThenFirst(Locks.java:20)");
  }

  @Test
  void reportWritesValidSarifPointingIntoTheSourcesAndAPageWithTheCycle() throws IOException {
    Path lockguard = IT.resolve("cross-jvm-cycle/target/lockguard");
    String sarif = Files.readString(lockguard.resolve("lockguard.sarif"));
    String html = Files.readString(lockguard.resolve("lockguard.html"));

    assertThat(SarifSchema.errors(sarif)).isEmpty();
    assertThat(sarif).contains("\"ruleId\": \"POTENTIAL_DEADLOCK\"", "\"level\": \"error\"")
        .contains("\"uri\": \"src/main/java/demo/Locks.java\"", "\"uriBaseId\": \"SRCROOT\"")
        .contains("\"lockguardId/v1\": \"" + onlyFinding(IT.resolve("cross-jvm-cycle")).id() + "\"");
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg ", "Locks.FIRST", "Locks.SECOND")
        .contains("POTENTIAL_DEADLOCK (ERROR)").doesNotContain("<script");
  }

  @Test
  void jacocoAndLockguardBothWorkInOneArgLine() throws IOException {
    Path project = IT.resolve("with-jacoco");
    String log = Files.readString(project.resolve("build.log"));

    assertThat(project.resolve("target/jacoco.exec")).as("JaCoCo's coverage file").isNotEmptyFile();
    assertThat(log).containsPattern("lockguard: argLine set to -javaagent:\\S*org\\.jacoco\\.agent"
        + "\\S*=destfile=\\S*jacoco\\.exec -javaagent:\\S*lockguard-agent\\S*\\.jar=report=");
    Violation cycle = onlyFinding(project);
    assertThat(cycle.severity()).isEqualTo(Violation.Severity.ERROR);
    assertThat(cycle.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("Transfer.CHECKING", "Transfer.SAVINGS");
    assertThat(log).contains("[WARNING] lockguard: 1 finding at or above ERROR:")
        .contains("BUILD SUCCESS");
  }

  @Test
  void aCleanProjectPasses() throws IOException {
    Path project = IT.resolve("clean-project");
    String log = Files.readString(project.resolve("build.log"));

    assertThat(perJvmReports(project)).hasSize(2);
    assertThat(JsonReportReader.read(project.resolve("target/lockguard/lockguard.json"))
        .violations()).isEmpty();
    assertThat(log).contains("[INFO] lockguard: no finding at or above ERROR in 2 reports")
        .contains("BUILD SUCCESS");
  }

  @Test
  void badConfigurationFailsNamingTheParameter() throws IOException {
    assertThat(Files.readString(IT.resolve("bad-option/build.log"))).contains(
        "lockguard-maven-plugin: bad parameter <policy>: option \"policy\" has the bad value"
            + " \"sometimes\". Valid values: record, throw.");
    assertThat(Files.readString(IT.resolve("bad-severity/build.log"))).contains(
        "lockguard-maven-plugin: bad parameter <failOnSeverity>: 'FATAL' is not a severity;"
            + " valid: ERROR, WARNING, INFO");
  }

  private static Violation onlyFinding(Path project) throws IOException {
    Report merged = JsonReportReader.read(project.resolve("target/lockguard/lockguard.json"));
    assertThat(merged.violations()).hasSize(1);
    return merged.violations().get(0);
  }

  private static List<Path> perJvmReports(Path project) throws IOException {
    try (Stream<Path> files = Files.list(project.resolve("target/lockguard"))) {
      return files.filter(f -> f.getFileName().toString().matches("lockguard-\\d+\\.json"))
          .toList();
    }
  }
}
