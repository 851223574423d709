package dev.lockguard.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockguard.agent.AgentMain;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The argLine that prepare-agent writes, with the real agent jar checking the options. */
class PrepareAgentMojoTests {
  @TempDir Path dir;

  @Test
  void addsTheAgentAfterWhatArgLineHoldsAndOnlyOnce() throws Exception {
    PrepareAgentMojo mojo = mojo();
    mojo.project.getProperties().setProperty("argLine", "-javaagent:/x/jacocoagent.jar=destfile=a");
    mojo.policy = "throw";
    mojo.include = "com.acme.*";

    mojo.execute();
    mojo.execute();

    String agent = mojo.pluginArtifactMap.get(AgentJar.KEY).getFile().getAbsolutePath();
    assertThat(mojo.project.getProperties().getProperty("argLine")).isEqualTo(
        "-javaagent:/x/jacocoagent.jar=destfile=a -javaagent:" + agent + "=report="
            + dir.resolve("lockguard/lockguard-%p.json") + ",policy=throw,include=com.acme.*");
    assertThat(dir.resolve("lockguard")).isDirectory();
  }

  @Test
  void aBadOptionFailsNamingItsParameter() throws Exception {
    PrepareAgentMojo mojo = mojo();
    mojo.watchdog = "soon";

    assertThatThrownBy(mojo::execute).isInstanceOf(MojoExecutionException.class)
        .hasMessageStartingWith("lockguard-maven-plugin: bad parameter <watchdog>: option"
            + " \"watchdog\" has the bad value \"soon\".");
    assertThat(mojo.project.getProperties()).doesNotContainKey("argLine");
  }

  @Test
  void skipAddsNothing() throws Exception {
    PrepareAgentMojo mojo = mojo();
    mojo.skip = true;

    mojo.execute();

    assertThat(mojo.project.getProperties()).doesNotContainKey("argLine");
  }

  @Test
  void anArgumentWithASpaceIsQuotedWhole() {
    assertThat(PrepareAgentMojo.quoted("-javaagent:/a b/agent.jar=report=x"))
        .isEqualTo("\"-javaagent:/a b/agent.jar=report=x\"");
    assertThat(PrepareAgentMojo.quoted("-javaagent:/a/agent.jar")).isEqualTo("-javaagent:/a/agent.jar");
  }

  private PrepareAgentMojo mojo() throws URISyntaxException {
    PrepareAgentMojo mojo = new PrepareAgentMojo();
    mojo.project = new MavenProject();
    mojo.propertyName = "argLine";
    mojo.reportDirectory = dir.resolve("lockguard").toFile();
    File jar = new File(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Artifact agent = new DefaultArtifact("dev.lockguard", "lockguard-agent", "1", "compile", "jar",
        null, new DefaultArtifactHandler("jar"));
    agent.setFile(jar);
    mojo.pluginArtifactMap = Map.of(AgentJar.KEY, agent);
    return mojo;
  }
}
