package dev.lockguard.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every workload class shares: the measurement settings and the proof of the form.
 *
 * <p>A workload class has a {@code work} method and one {@code @Benchmark} method per form
 * ({@code bare}, {@code lockguard}, {@code guava}) that only calls it, so the bytecode measured
 * is the same in all forms: only the lock classes (Guava, from {@link Locks}) or the
 * instrumentation (the agent) differ. Critical sections increment a counter, so that none is empty.
 *
 * <p>The iteration settings here are the full run's; {@code run.sh --quick} overrides them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class FormBenchmark {
  /** Written inside critical sections. */
  protected long counter;

  /** Checks that the fork runs the form it claims (agent attached or not, lock classes). */
  @Setup(Level.Trial)
  public void checkForm() {
    Attachment.verify(Locks.FORM);
  }

  /** Under the agent, checks that the workload was instrumented (the runtime saw it). */
  @TearDown(Level.Trial)
  public void checkInstrumented() {
    Attachment.verifyInstrumented(Locks.FORM);
  }
}
