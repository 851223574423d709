package dev.lockguard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.report.JsonReportWriter;
import dev.lockguard.report.Report;
import dev.lockguard.report.ReportFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI runs over the embedded runtime jar, never over a runtime on the class path. */
class CliLauncherTests {
  @TempDir Path dir;

  @Test
  void theCliSeesTheEmbeddedRuntimeBelowThePlatformLoaderOnly() throws Exception {
    ClassLoader cli = CliLauncher.cliLoader();

    Class<?> launchedCli = cli.loadClass("dev.lockguard.agent.Cli");
    Class<?> launchedReport = cli.loadClass("dev.lockguard.report.Report");

    assertThat(launchedCli.getClassLoader()).isSameAs(cli);
    assertThat(launchedReport).isNotSameAs(Report.class);
    assertThat(launchedReport.getClassLoader()).isSameAs(cli.getParent());
    assertThat(cli.getParent().getParent()).isSameAs(ClassLoader.getPlatformClassLoader());
    assertThat(cli.getParent().getResource("dev/lockguard/report/ReportFixtures.class")).isNull();
  }

  @Test
  void runsTheReportCommandAndReturnsItsExitCode() throws IOException {
    Path report = Files.writeString(dir.resolve("full.json"),
        JsonReportWriter.toJson(ReportFixtures.fullReport()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = CliLauncher.run(new String[] {"report", "--format", "json", report.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(exit).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(JsonReportReader.read(out.toString(StandardCharsets.UTF_8)))
        .usingRecursiveComparison()
        .isEqualTo(ReportFixtures.fullReport());
  }
}
