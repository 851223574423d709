package dev.lockguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkedJvmTests {
  /** This module's test classes, where {@link Child} is. */
  private static final Path CLASSES = classesOf(Child.class);

  @TempDir Path dir;

  private static Path classesOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ForkedJvm child() {
    return ForkedJvm.java().classPath(CLASSES);
  }

  @Test
  void runReturnsTheExitCodeAndBothOutputs() throws Exception {
    ForkedJvm.Result result = child().run(Child.class.getName(), "print", "x");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out x" + System.lineSeparator());
    assertThat(result.stderr()).isEqualTo("err x" + System.lineSeparator());
  }

  @Test
  void aChildStillRunningAtTheTimeoutIsKilledAndTheRunSaysSo() {
    long start = System.nanoTime();

    assertThatThrownBy(() -> child().timeout(Duration.ofSeconds(2))
        .run(Child.class.getName(), "sleep"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(Child.class.getName() + " did not end within 2 s and was killed")
        .hasMessageContaining("--- stdout\nSLEEPING");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void theAgentComesFirstWithTheReportBeforeItsOtherOptions() throws Exception {
    Path jar = Files.createFile(dir.resolve("agent.jar"));
    Path report = dir.resolve("report.json");

    assertThat(ForkedJvm.java().agent(jar, "watchdog=0").report(report).jvmArg("-Xmx64m")
        .classPath(CLASSES).command("Main", "a"))
        .endsWith("-Xshare:off", "-javaagent:" + jar + "=report=" + report + ",watchdog=0",
            "-Xmx64m", "-cp", CLASSES.toString(), "Main", "a");
    assertThat(ForkedJvm.java().agent(jar, "").jarCommand(jar))
        .endsWith("-javaagent:" + jar, "-jar", jar.toString());
    assertThat(ForkedJvm.java().command("Main")).doesNotContain("-Xshare:off");
  }

  @Test
  void aMissingAgentJarOrAReportWithoutAgentFailsBeforeAnythingRuns() {
    assertThatThrownBy(() -> ForkedJvm.java().agent(dir.resolve("none.jar"), "").command("Main"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("none.jar does not exist");
    assertThatThrownBy(() -> ForkedJvm.java().report(dir.resolve("r.json")).command("Main"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRunningJvmReadsAndWritesLinesUntilItsInputEnds() throws Exception {
    try (RunningJvm jvm = child().start(Child.class.getName(), "echo")) {
      jvm.awaitLine("READY");
      jvm.send("one");
      assertThat(jvm.readLine()).isEqualTo("echo one");
      jvm.closeInput();

      assertThat(jvm.awaitExit()).isZero();
      assertThat(jvm.readLine()).isNull();
      assertThat(jvm.stderr()).isEmpty();
    }
  }

  @Test
  void aRunningJvmIsKilledAtItsTimeoutAndSaysSo() throws Exception {
    try (RunningJvm jvm = child().timeout(Duration.ofSeconds(2))
        .start(Child.class.getName(), "sleep")) {
      assertThatThrownBy(() -> jvm.awaitLine("NEVER"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("ended (killed: still running after 2 s) before it printed NEVER");
      assertThatThrownBy(jvm::awaitExit).hasMessageContaining("killed");
    }
  }

  @Test
  void killEndsTheJvmWithoutShutdownHooks() throws Exception {
    try (RunningJvm jvm = child().start(Child.class.getName(), "sleep")) {
      jvm.awaitLine("SLEEPING");

      assertThat(jvm.kill()).isEqualTo(128 + 9);
    }
  }
}
