package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import fixtures.junit.InversionTestCase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs in a JVM started without the agent (surefire execution {@code without-agent}, a JVM of its
 * own): {@code lockguard.selfAttach=true} attaches the agent jar found on the test class path.
 */
class SelfAttachWithoutAgentTests {

  @Test
  void selfAttachAttachesTheAgentFromTheClassPathAndTheExtensionWorks() {
    EngineRun run = EngineRun.run(InversionTestCase.class,
        Map.of(Configuration.SELF_ATTACH, "true"));

    run.results().containerEvents().assertStatistics(stats -> stats.failed(0));
    run.results().testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    assertThat(run.failure("inversion()"))
        .hasMessageStartingWith("lockguard: 1 violation in this test")
        .hasMessageContaining("Lock-order cycle Bank.savings -> Bank.checking -> Bank.savings");
  }
}
