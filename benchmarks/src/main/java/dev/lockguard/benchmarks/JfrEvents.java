package dev.lockguard.benchmarks;

import dev.lockguard.internal.jfr.JfrFindings;
import dev.lockguard.report.Violation;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import java.util.concurrent.TimeUnit;

/**
 * What turning a finding into a JFR event ({@code dev.lockguard.Violation}) costs: with no
 * recording running (every JVM that does not ask for one), beside handing the finding to a
 * blackhole, and with a recording running. The agent is attached in every fork (it puts the
 * runtime on the boot class path). No lock acquisition comes near this code: it runs once per
 * finding.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JfrEvents {
  private final Violation finding = new Violation("0123456789abcdef",
      Violation.Kind.POTENTIAL_DEADLOCK, Violation.Severity.ERROR,
      "Lock-order cycle A -> B -> A", List.of("t1", "t2"),
      List.of(new Violation.LockRef("Account.lock", "java.lang.Object"),
          new Violation.LockRef("Bank.lock", "java.lang.Object")),
      List.of(), List.of("com.acme.Bank.transfer(Bank.java:12)"));

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = Forks.AGENT)
  public void baseline(Blackhole blackhole) {
    blackhole.consume(finding);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = Forks.AGENT)
  public void noRecording() {
    JfrFindings.emit(finding);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {Forks.AGENT, "-XX:StartFlightRecording=settings=default"})
  public void recording() {
    JfrFindings.emit(finding);
  }
}
