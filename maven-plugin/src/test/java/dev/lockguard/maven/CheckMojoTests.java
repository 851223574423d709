package dev.lockguard.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** The report command's options that check builds from its parameters. */
class CheckMojoTests {
  private final CheckMojo mojo = new CheckMojo();

  CheckMojoTests() {
    mojo.reportDirectory = new File("target/lockguard");
    mojo.failOnSeverity = "warning";
  }

  @Test
  void passesTheSeverityAndKindsInTheCommandsSpelling() throws MojoExecutionException {
    mojo.failOnKinds = List.of("potential_deadlock", " DEADLOCK ");

    assertThat(mojo.options()).containsSubsequence("--fail-on", "WARNING")
        .containsSubsequence("--fail-kinds", "POTENTIAL_DEADLOCK,DEADLOCK");
  }

  @Test
  void anUnknownKindFailsNamingTheParameterAndTheValidKinds() {
    mojo.failOnKinds = List.of("RACE");

    assertThatThrownBy(mojo::options).isInstanceOf(MojoExecutionException.class)
        .hasMessage("lockguard-maven-plugin: bad parameter <failOnKinds>: 'RACE' is not a finding"
            + " kind; valid: POTENTIAL_DEADLOCK, LOCK_ORDER_VIOLATION, DEADLOCK,"
            + " UNSAFE_QUEUE_CHECK, REUSED_LATCH");
  }
}
