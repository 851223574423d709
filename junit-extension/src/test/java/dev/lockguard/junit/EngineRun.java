package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.lockguard.agent.report.JsonReportReader;
import dev.lockguard.report.Report;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs a {@code *TestCase} fixture class on the Jupiter engine through the engine test kit, and
 * reads what its tests and containers ended with.
 */
final class EngineRun {
  private final EngineExecutionResults results;

  private EngineRun(EngineExecutionResults results) {
    this.results = results;
  }

  static EngineRun run(Class<?> testCase) {
    return run(testCase, Map.of());
  }

  static EngineRun run(Class<?> testCase, Map<String, String> configuration) {
    return new EngineRun(EngineTestKit.engine("junit-jupiter")
        .configurationParameters(configuration)
        .selectors(selectClass(testCase))
        .execute());
  }

  EngineExecutionResults results() {
    return results;
  }

  /** What the test or container with this display name ended with. */
  TestExecutionResult result(String displayName) {
    List<TestExecutionResult> found = results.allEvents().finished().stream()
        .filter(event -> event.getTestDescriptor().getDisplayName().equals(displayName))
        .map(event -> event.getRequiredPayload(TestExecutionResult.class))
        .toList();
    assertThat(found).as("finished events of %s", displayName).hasSize(1);
    return found.get(0);
  }

  /** The failure the test or container with this display name ended with. */
  Throwable failure(String displayName) {
    TestExecutionResult result = result(displayName);
    assertThat(result.getStatus()).as("status of %s", displayName)
        .isEqualTo(TestExecutionResult.Status.FAILED);
    return result.getThrowable().orElseThrow();
  }

  /** The values published under {@code key} by the test or container with this display name. */
  List<String> entries(String displayName, String key) {
    return results.allEvents().reportingEntryPublished().stream()
        .filter(event -> event.getTestDescriptor().getDisplayName().equals(displayName))
        .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
        .filter(pairs -> pairs.containsKey(key))
        .map(pairs -> pairs.get(key))
        .toList();
  }

  /** The JSON report whose path the test or container with this display name published. */
  Report report(String displayName) throws IOException {
    List<String> paths = entries(displayName, Reports.REPORT_ENTRY);
    assertThat(paths).as("%s entries of %s", Reports.REPORT_ENTRY, displayName).hasSize(1);
    Path path = Path.of(paths.get(0));
    assertThat(path).exists();
    return JsonReportReader.read(path);
  }

  List<Event> finishedTests() {
    return results.testEvents().finished().list();
  }
}
