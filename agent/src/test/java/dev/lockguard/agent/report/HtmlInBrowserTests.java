package dev.lockguard.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockguard.report.ReportFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML page in a real headless browser: Debian's Chromium ({@code apt-get install chromium})
 * loads it from a file with no network, builds the DOM with the SVG graph in it, and renders it.
 * Skipped where no Chromium is installed; the markup checks of {@link HtmlReportTests} run
 * everywhere.
 */
class HtmlInBrowserTests {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;

  @Test
  void chromiumLoadsAndRendersThePageOffline() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM);
    Path page = Files.writeString(dir.resolve("lockguard.html"),
        HtmlReport.render(ReportFixtures.fullReport()));
    Path shot = dir.resolve("shot.png");

    String dom = chromium("--dump-dom", page.toUri().toString());
    chromium("--screenshot=" + shot, "--window-size=1200,2400", page.toUri().toString());

    assertThat(dom).contains("<h1>lockguard report</h1>", "<svg ", "Philosopher.left",
        "<td>POTENTIAL_DEADLOCK</td>", "1. POTENTIAL_DEADLOCK (ERROR)");
    assertThat(dom.split("<section ", -1)).hasSize(4);
    assertThat(shot).isNotEmptyFile();
    assertThat(Files.size(shot)).as("a rendered page, not a blank one").isGreaterThan(20_000);
  }

  private String chromium(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--user-data-dir=" + dir.resolve("profile")));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(process.exitValue()).as("chromium's exit code").isZero();
    return out;
  }
}
