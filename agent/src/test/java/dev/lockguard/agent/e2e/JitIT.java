package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.testsupport.ForkedJvm;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instrumented lock sites must stay compilable by C2 (tier 4): a hook call where the JIT cannot
 * match monitors makes it give up on the method, which then runs interpreted, ten times slower.
 * This checks what the JIT did, not how fast anything ran.
 */
class JitIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"syncBlock", "nestedBlocks", "syncMethod", "instanceSyncMethod",
      "reentrantLock"})
  void hotInstrumentedMethodsReachTheOptimisingCompiler(String method) throws Exception {
    ForkedJvm.Result result = Fixtures.withAgent("report=" + dir.resolve("jit.json"))
        .jvmArg("-XX:+PrintCompilation")
        // Each fixture method gets compiled on its own (not only inlined into main's loop), and
        // compilations finish before the loop goes on: what the JIT decides, deterministically.
        .jvmArg("-XX:CompileCommand=quiet")
        .jvmArg("-XX:CompileCommand=dontinline,fixtures.agent.HotLocks::*")
        .jvmArg("-Xbatch")
        .run("fixtures.agent.HotLocks");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).contains("counter=1500000");
    assertThat(result.stdout())
        .as("C2 compiled HotLocks.%s", method)
        .containsPattern("\\s4\\s+fixtures\\.agent\\.HotLocks::" + method + " \\(")
        .doesNotContainPattern("HotLocks::" + method + " .*COMPILE SKIPPED: invalid parsing");
    assertThat(Fixtures.readReport(dir.resolve("jit.json")).stats().acquisitions())
        .as("the sites were instrumented").isGreaterThanOrEqualTo(1_800_000);
  }
}
