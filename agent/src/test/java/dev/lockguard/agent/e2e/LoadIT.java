package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load, at full size: 64 threads each make 100,000 nested acquisitions over 10,000
 * locks (half monitors, half ReentrantLocks) in one random but consistent global order, under the
 * agent in a 128 MB heap. About ten seconds per run on two cores.
 */
class LoadIT {
  private static final int THREADS = 64;
  private static final int PER_THREAD = 100_000;
  private static final int LOCKS = 10_000;
  /** Every pair of positions within each group of eight: 1,250 groups x 28 pairs. */
  private static final int EDGES = LOCKS / 8 * 28;
  private static final long HEAP_BOUND = 64L << 20;

  @TempDir Path dir;

  @Test
  void consistentOrderUnderLoadIsSilentAndMemoryStaysBounded() throws Exception {
    Path reportFile = dir.resolve("load.json");
    ForkedJvm.Result result = runLoad(reportFile);

    Report report = Fixtures.readReport(reportFile);
    assertThat(report.violations()).isEmpty();
    assertThat(report.stats().edges()).isEqualTo(EDGES);
    assertBounded(result, report);
  }

  @Test
  void oneInjectedInversionIsReportedAndNothingElse() throws Exception {
    Path reportFile = dir.resolve("inverted.json");
    ForkedJvm.Result result = runLoad(reportFile, "invert");

    Report report = Fixtures.readReport(reportFile);
    assertThat(report.violations()).hasSize(1);
    Violation violation = report.violations().get(0);
    assertThat(violation.kind()).isEqualTo(Violation.Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Violation.Severity.ERROR);
    assertThat(violation.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder(printed(result, "first"), printed(result, "second"));
    assertThat(violation.threads()).hasSize(2).contains("inverter")
        .anySatisfy(thread -> assertThat(thread).matches("worker-\\d+"));
    EdgeRef inverted = violation.edges().stream()
        .filter(edge -> edge.thread().equals("inverter")).findFirst().orElseThrow();
    assertThat(inverted.from()).isEqualTo(printed(result, "second"));
    assertThat(inverted.to()).isEqualTo(printed(result, "first"));
    assertThat(inverted.acquiredAt())
        .anySatisfy(frame -> assertThat(frame).contains("ManyThreadsManyLocks.invert("));
    assertThat(report.stats().edges()).isEqualTo(EDGES + 1);
    assertBounded(result, report);
  }

  private ForkedJvm.Result runLoad(Path reportFile, String... extra) throws Exception {
    String[] args = new String[3 + extra.length];
    args[0] = String.valueOf(THREADS);
    args[1] = String.valueOf(PER_THREAD);
    args[2] = String.valueOf(LOCKS);
    System.arraycopy(extra, 0, args, 3, extra.length);
    ForkedJvm.Result result = Fixtures.withAgent("report=" + reportFile)
        .jvmArg("-Xmx128m")
        .run("fixtures.agent.ManyThreadsManyLocks", args);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).as("every thread finished: no deadlock").doesNotContain("STUCK");
    return result;
  }

  /** Each lock one node, all still live (the fixture keeps them); heap far below the limit. */
  private static void assertBounded(ForkedJvm.Result result, Report report) {
    long acquired = Long.parseLong(printed(result, "acquired"));
    assertThat(acquired).isGreaterThanOrEqualTo((long) THREADS * PER_THREAD);
    assertThat(report.stats().acquisitions()).as("instrumentation counted every acquisition")
        .isGreaterThanOrEqualTo(acquired);
    assertThat(report.stats().locksSeen()).isEqualTo(LOCKS);
    assertThat(Long.parseLong(printed(result, "liveLocks"))).isEqualTo(LOCKS);
    assertThat(Long.parseLong(printed(result, "heapAfterGc"))).isLessThan(HEAP_BOUND);
    assertThat(result.stderr()).doesNotContain("OutOfMemoryError");
  }

  /** The value the fixture printed as {@code key=value}. */
  private static String printed(ForkedJvm.Result result, String key) {
    for (String token : result.stdout().split("\\s+")) {
      if (token.startsWith(key + "=")) {
        return token.substring(key.length() + 1);
      }
    }
    throw new AssertionError("the fixture printed no " + key + "=; " + result);
  }
}
