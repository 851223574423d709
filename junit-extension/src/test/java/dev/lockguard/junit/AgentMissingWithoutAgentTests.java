package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;

import fixtures.junit.AgentMissingTestCase;
import fixtures.junit.AutodetectedTestCase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Runs in a JVM without the agent (surefire execution {@code without-agent}): the extension must
 * stop the class and print the Maven setup to copy.
 */
class AgentMissingWithoutAgentTests {

  @Test
  void withoutTheAgentTheClassFailsWithTheMavenSetupToCopy() {
    AgentMissingTestCase.ran = 0;
    EngineRun run = EngineRun.run(AgentMissingTestCase.class);

    run.results().testEvents().assertStatistics(stats -> stats.started(0));
    assertThat(AgentMissingTestCase.ran).isZero();
    Throwable failure = run.failure("AgentMissingTestCase");
    assertThat(failure).isInstanceOf(ExtensionConfigurationException.class);
    assertThat(failure.getMessage())
        .isEqualTo(MavenSetup.agentMissing())
        .startsWith("lockguard: the lockguard agent is not attached to this JVM, so lockguard"
            + " cannot watch any lock. Attach it to the test JVM: in your pom.xml, set the"
            + " property <lockguard.version>" + MavenSetup.version() + "</lockguard.version> and"
            + " add\n\n" + MavenSetup.snippet())
        .contains("<goal>properties</goal>")
        .contains("<argLine>-javaagent:@{dev.lockguard:lockguard-agent:jar}</argLine>")
        .contains("-XX:+EnableDynamicAgentLoading");
    assertThat(MavenSetup.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void withoutTheAgentAnAutodetectedExtensionFailsTheSameWay() {
    EngineRun run = EngineRun.run(AutodetectedTestCase.class,
        Map.of("junit.jupiter.extensions.autodetection.enabled", "true"));

    assertThat(run.failure("AutodetectedTestCase"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage(MavenSetup.agentMissing());
  }

  @Test
  void aBadSelfAttachValueSaysWhatToWrite() {
    EngineRun run = EngineRun.run(AgentMissingTestCase.class,
        Map.of(Configuration.SELF_ATTACH, "yes"));

    assertThat(run.failure("AgentMissingTestCase"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("lockguard: configuration parameter lockguard.selfAttach=yes is not a"
            + " boolean. Write lockguard.selfAttach=true to attach the agent at run time, or"
            + " leave it out.");
  }

  @Test
  void selfAttachWithAPathThatIsNotTheAgentJarSaysSoAndTheFix() {
    EngineRun run = EngineRun.run(AgentMissingTestCase.class, Map.of(
        Configuration.SELF_ATTACH, "true", Configuration.AGENT_JAR, "pom.xml"));

    assertThat(run.failure("AgentMissingTestCase"))
        .isInstanceOf(ExtensionConfigurationException.class)
        .hasMessage("lockguard: lockguard.agentJar=pom.xml is not the lockguard agent jar."
            + " Point it at lockguard-agent.jar, or leave it out to use the one on the test"
            + " class path.");
  }
}
