package dev.lockguard.demo.e2e;

import static dev.lockguard.demo.e2e.Demos.lineOf;
import static dev.lockguard.demo.e2e.Reports.edge;
import static dev.lockguard.demo.e2e.Reports.onlyViolationBesidesRealDeadlocks;
import static dev.lockguard.demo.e2e.Reports.ranToTheEnd;
import static dev.lockguard.demo.e2e.Reports.silentRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code connections}: a shared connection locked against its pool; per-thread sockets need no lock. */
class ConnectionsIT {
  @TempDir Path dir;

  @Test
  void sharedConnectionAndPoolLocksAreACycle() throws Exception {
    Demos.Run run = Demos.withAgent(dir, "", "connections", "shared");
    Violation violation = onlyViolationBesidesRealDeadlocks(ranToTheEnd(run), Kind.POTENTIAL_DEADLOCK);

    assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(violation.severity()).isEqualTo(Severity.ERROR);
    assertThat(violation.locks()).extracting(LockRef::name)
        .containsExactlyInAnyOrder("SharedConnection.lock", "ConnectionPool.lock");
    assertThat(violation.locks()).extracting(LockRef::type)
        .containsOnly("java.util.concurrent.locks.ReentrantLock");
    assertThat(violation.edges()).hasSize(2);

    EdgeRef clientSide = edge(violation, "SharedConnection.lock", "ConnectionPool.lock");
    assertThat(clientSide.thread()).matches("client-[1-4]");
    assertThat(clientSide.heldAt().get(0)).contains(lineOf("connections/SharedConnection", "@connection-lock"));
    assertThat(clientSide.acquiredAt().get(0))
        .contains(lineOf("connections/ConnectionPool", "@pool-lock-under-connection"));

    EdgeRef healthCheck = edge(violation, "ConnectionPool.lock", "SharedConnection.lock");
    assertThat(healthCheck.thread()).isEqualTo("health-check");
    assertThat(healthCheck.heldAt().get(0)).contains(lineOf("connections/ConnectionPool", "@health-check-pool-lock"));
    assertThat(healthCheck.acquiredAt().get(0))
        .contains(lineOf("connections/SharedConnection", "@ping-connection-lock"));

    assertThat(run.stdout()).contains("echoed=100");
  }

  @Test
  void threadLocalConnectionsAreSilent() throws Exception {
    Demos.Run run = silentRun(dir, "", "connections", "thread-local");

    assertThat(run.stdout()).contains("echoed=100");
  }
}
