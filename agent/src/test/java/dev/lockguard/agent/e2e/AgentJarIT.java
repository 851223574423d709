package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;

/**
 * The built agent jar holds the runtime once, as its embedded jar, and that jar holds only what
 * instrumented code and the public API need on the boot class path.
 */
class AgentJarIT {
  private static final String EMBEDDED_RUNTIME = "dev/lockguard/agent/lockguard-runtime.jar";

  /** Classes that only read reports, for the CLI and tests: never on the boot class path. */
  private static final List<String> READING_ONLY = List.of(
      "JsonReportReader", "JsonParser", "JsonNode", "ReportCli", "ReportFormatException",
      "SummaryText", "DotGraph", "Cli", "CliLauncher");

  @Test
  void theAgentJarHasNoRuntimeClassAtItsRoot() throws IOException {
    List<String> entries = agentJarEntries();

    assertThat(entries)
        .contains("dev/lockguard/agent/AgentMain.class", "dev/lockguard/agent/Cli.class",
            "dev/lockguard/agent/report/JsonReportReader.class", EMBEDDED_RUNTIME)
        .noneMatch(name -> name.startsWith("dev/lockguard/internal/"))
        .noneMatch(name -> name.startsWith("dev/lockguard/report/"))
        .noneMatch(name -> name.matches("dev/lockguard/[^/]+\\.class"));
  }

  @Test
  void everyClassInTheAgentJarIsOursOrRelocatedUnderIt() throws IOException {
    // Not even under META-INF/versions: a class of byte-buddy's or ASM's own package name could
    // meet the application's copy of that library.
    assertThat(agentJarEntries())
        .filteredOn(name -> name.endsWith(".class"))
        .isNotEmpty()
        .allMatch(name -> name.startsWith("dev/lockguard/agent/"), "under dev/lockguard/agent/");
  }

  @Test
  void theEmbeddedRuntimeHasTheHooksAndTheApiButNoReportReading() throws IOException {
    List<String> entries = embeddedRuntimeEntries();

    assertThat(entries)
        .contains(
            "dev/lockguard/internal/lockorder/Hooks.class",
            "dev/lockguard/internal/latch/LatchHooks.class",
            "dev/lockguard/internal/queue/QueueHooks.class",
            "dev/lockguard/internal/Lifecycle.class",
            "dev/lockguard/LockGuard.class",
            "dev/lockguard/OrderedLocks.class",
            "dev/lockguard/report/Violation.class",
            "dev/lockguard/report/JsonReportWriter.class",
            "dev/lockguard/report/TextReport.class")
        .noneMatch(name -> name.startsWith("dev/lockguard/agent/"))
        .noneMatch(name -> READING_ONLY.contains(simpleName(name)));
  }

  private static List<String> agentJarEntries() throws IOException {
    assertThat(Fixtures.AGENT_JAR).as("the shaded agent jar (run mvn package first)").exists();
    try (JarFile jar = new JarFile(Fixtures.AGENT_JAR.toFile())) {
      return jar.stream().map(JarEntry::getName).toList();
    }
  }

  private static List<String> embeddedRuntimeEntries() throws IOException {
    try (JarFile agent = new JarFile(Fixtures.AGENT_JAR.toFile())) {
      JarEntry embedded = agent.getJarEntry(EMBEDDED_RUNTIME);
      assertThat(embedded).as(EMBEDDED_RUNTIME).isNotNull();
      try (InputStream bytes = agent.getInputStream(embedded);
          JarInputStream runtime = new JarInputStream(bytes)) {
        List<String> names = new ArrayList<>();
        for (JarEntry e = runtime.getNextJarEntry(); e != null; e = runtime.getNextJarEntry()) {
          names.add(e.getName());
        }
        return names;
      }
    }
  }

  /** {@code JsonParser} for {@code a/b/JsonParser.class} and {@code a/b/JsonParser$X.class}. */
  private static String simpleName(String entry) {
    String file = entry.substring(entry.lastIndexOf('/') + 1);
    int end = file.indexOf('$') >= 0 ? file.indexOf('$') : file.indexOf(".class");
    return end < 0 ? file : file.substring(0, end);
  }
}
