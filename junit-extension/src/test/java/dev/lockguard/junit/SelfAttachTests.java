package dev.lockguard.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.VMOption;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where self-attach finds the agent jar, and when it warns about JDK 21 and later. */
class SelfAttachTests {

  @Test
  void onJdk21AndLaterItWarnsUnlessTheFlagWasGiven() {
    VMOption byDefault = new VMOption("EnableDynamicAgentLoading", "true", true,
        VMOption.Origin.DEFAULT);
    VMOption given = new VMOption("EnableDynamicAgentLoading", "true", true,
        VMOption.Origin.VM_CREATION);

    assertThat(SelfAttach.jdk21Warning(21, Optional.of(byDefault)))
        .startsWith("lockguard: attaching the agent at run time (lockguard.selfAttach=true)."
            + " JDK 21 and later need -XX:+EnableDynamicAgentLoading in the test JVM's arguments"
            + " for that: without it this JDK prints a warning and a future one will refuse.");
    assertThat(SelfAttach.jdk21Warning(25, Optional.of(byDefault))).isNotNull();
    assertThat(SelfAttach.jdk21Warning(25, Optional.of(given))).isNull();
    assertThat(SelfAttach.jdk21Warning(17, Optional.empty())).isNull();
  }

  @Test
  void theConfiguredAgentJarWinsWhenItIsAnAgentJar(@TempDir Path directory) throws IOException {
    Path jar = jar(directory.resolve("my-agent.jar"), true);

    assertThat(SelfAttach.agentJar(Optional.of(jar.toString()), loaderOf()))
        .isEqualTo(jar.toAbsolutePath());
  }

  @Test
  void aConfiguredJarWithoutAgentClassIsRefused(@TempDir Path directory) throws IOException {
    Path jar = jar(directory.resolve("plain.jar"), false);

    assertThatThrownBy(() -> SelfAttach.agentJar(Optional.of(jar.toString()), loaderOf()))
        .hasMessage("lockguard: lockguard.agentJar=" + jar + " is not the lockguard agent jar."
            + " Point it at lockguard-agent.jar, or leave it out to use the one on the test"
            + " class path.");
  }

  @Test
  void otherwiseItIsTheJarOnTheClassPathThatHoldsTheAgent(@TempDir Path directory)
      throws IOException {
    Path jar = jar(directory.resolve("lockguard-agent-1.2.3.jar"), true);

    assertThat(SelfAttach.agentJar(Optional.empty(), loaderOf(jar))).isEqualTo(jar);
  }

  @Test
  void withoutAJarOnTheClassPathItSaysHowToAddOne() {
    assertThatThrownBy(() -> SelfAttach.agentJar(Optional.empty(), loaderOf()))
        .hasMessage("lockguard: lockguard.selfAttach=true, but the lockguard agent jar is not"
            + " on the test class path. Add dev.lockguard:lockguard-agent as a test dependency,"
            + " or set lockguard.agentJar=/path/to/lockguard-agent.jar.");
  }

  /** A class loader over {@code jars} alone, without the test class path. */
  private static ClassLoader loaderOf(Path... jars) throws IOException {
    URL[] urls = new URL[jars.length];
    for (int i = 0; i < jars.length; i++) {
      urls[i] = jars[i].toUri().toURL();
    }
    return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
  }

  /** A jar with the agent's main class entry, and an Agent-Class manifest entry if asked. */
  private static Path jar(Path path, boolean agent) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (agent) {
      manifest.getMainAttributes().putValue("Agent-Class", "dev.lockguard.agent.AgentMain");
    }
    try (OutputStream file = Files.newOutputStream(path);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("dev/lockguard/agent/AgentMain.class"));
      out.closeEntry();
    }
    return path;
  }
}
