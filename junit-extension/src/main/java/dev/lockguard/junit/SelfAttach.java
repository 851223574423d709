package dev.lockguard.junit;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.LoggerFactory;

/**
 * Attaches the agent jar to this JVM at run time, for {@code lockguard.selfAttach=true}.
 *
 * <p>A JVM may not attach to itself unless started with {@code -Djdk.attach.allowAttachSelf=true},
 * so a short-lived child JVM does it through the Attach API ({@link AttachMain}). The agent jar
 * is {@code lockguard.agentJar} if set, else the {@code lockguard-agent} jar on the class path.
 * JDK 21 and later print a warning for an agent loaded this way unless the JVM was started with
 * {@code -XX:+EnableDynamicAgentLoading}, and a future JDK will refuse it: {@code -javaagent}
 * stays the way to go.
 */
final class SelfAttach {
  private static final String AGENT_MAIN_CLASS = "dev/lockguard/agent/AgentMain.class";
  private static final long CHILD_TIMEOUT_SECONDS = 60;

  private SelfAttach() {}

  /** Attaches the agent; returns "" on success, else a message that says why not and the fix. */
  static String attach(Optional<String> configuredJar) {
    try {
      Path jar = agentJar(configuredJar, SelfAttach.class.getClassLoader());
      String refusal = dynamicLoadingRefusal();
      if (refusal != null) {
        return refusal;
      }
      warnOnJdk21AndLater();
      return attachFromChild(jar);
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  /**
   * The agent jar: the configured path, else the jar on the class path that holds the agent's
   * main class.
   *
   * @throws IllegalStateException with the message for the user
   */
  static Path agentJar(Optional<String> configured, ClassLoader loader) {
    if (configured.isPresent()) {
      Path jar = Path.of(configured.get()).toAbsolutePath();
      if (!Files.isRegularFile(jar) || !isAgentJar(jar)) {
        throw new IllegalStateException("lockguard: " + Configuration.AGENT_JAR + "="
            + configured.get() + " is not the lockguard agent jar. Point it at"
            + " lockguard-agent.jar, or leave it out to use the one on the test class path.");
      }
      return jar;
    }
    URL found = loader.getResource(AGENT_MAIN_CLASS);
    if (found == null || !found.getProtocol().equals("jar")) {
      throw new IllegalStateException("lockguard: " + Configuration.SELF_ATTACH + "=true, but"
          + " the lockguard agent jar is not on the test class path. Add"
          + " dev.lockguard:lockguard-agent as a test dependency, or set "
          + Configuration.AGENT_JAR + "=/path/to/lockguard-agent.jar.");
    }
    String path = found.getPath(); // file:/.../lockguard-agent.jar!/dev/lockguard/...
    try {
      return Path.of(new URL(path.substring(0, path.indexOf("!/"))).toURI());
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("lockguard: cannot tell where the agent jar " + path
          + " is (" + e.getMessage() + "). Set " + Configuration.AGENT_JAR + "=PATH.", e);
    }
  }

  private static boolean isAgentJar(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      return manifest != null && manifest.getMainAttributes().getValue("Agent-Class") != null;
    } catch (IOException e) {
      return false;
    }
  }

  /** A message if this JVM forbids loading agents at run time, else null. */
  private static String dynamicLoadingRefusal() {
    Optional<VMOption> option = dynamicAgentLoadingOption();
    if (option.isPresent() && option.get().getValue().equals("false")) {
      return "lockguard: this JVM runs with -XX:-EnableDynamicAgentLoading, which forbids"
          + " attaching the agent at run time (" + Configuration.SELF_ATTACH + "=true). Attach it"
          + " with -javaagent instead:\n\n" + MavenSetup.agentMissing();
    }
    return null;
  }

  private static void warnOnJdk21AndLater() {
    String warning = jdk21Warning(Runtime.version().feature(), dynamicAgentLoadingOption());
    if (warning != null) {
      LoggerFactory.getLogger(LockGuardExtension.class).warn(warning);
    }
  }

  /** The warning for JDK 21 and later when the flag was not set on the command line, else null. */
  static String jdk21Warning(int feature, Optional<VMOption> option) {
    boolean explicit = option.isPresent()
        && option.get().getOrigin() != VMOption.Origin.DEFAULT;
    if (feature < 21 || explicit) {
      return null;
    }
    return "lockguard: attaching the agent at run time (" + Configuration.SELF_ATTACH + "=true)."
        + " JDK 21 and later need -XX:+EnableDynamicAgentLoading in the test JVM's arguments for"
        + " that: without it this JDK prints a warning and a future one will refuse. Better,"
        + " attach the agent with -javaagent (the agent-missing message without "
        + Configuration.SELF_ATTACH + " shows the Maven setup).";
  }

  private static Optional<VMOption> dynamicAgentLoadingOption() {
    try {
      HotSpotDiagnosticMXBean hotSpot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotSpot == null ? Optional.empty()
          : Optional.of(hotSpot.getVMOption("EnableDynamicAgentLoading"));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // before JDK 21 the option does not exist
    }
  }

  /** Runs {@link AttachMain} in a child JVM against this JVM's pid. */
  private static String attachFromChild(Path jar) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = List.of(java.toString(), "-cp", ownClassPath(),
        AttachMain.class.getName(), Long.toString(ProcessHandle.current().pid()), jar.toString());
    try {
      Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
      child.getOutputStream().close();
      if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        child.destroyForcibly();
        return "lockguard: attaching the agent from a child JVM took more than "
            + CHILD_TIMEOUT_SECONDS + " s and was given up. Attach it with -javaagent instead:\n\n"
            + MavenSetup.agentMissing();
      }
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (child.exitValue() != 0) {
        return "lockguard: could not attach the agent " + jar + " at run time: " + output.trim()
            + " Attach it with -javaagent instead:\n\n" + MavenSetup.agentMissing();
      }
      return "";
    } catch (IOException e) {
      return "lockguard: could not start " + java + " to attach the agent (" + e.getMessage()
          + "). Attach it with -javaagent instead:\n\n" + MavenSetup.agentMissing();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "lockguard: interrupted while attaching the agent.";
    }
  }

  /** Where this extension's classes are, for the child's class path. */
  private static String ownClassPath() {
    try {
      return Path.of(SelfAttach.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("lockguard: cannot tell where lockguard-junit's classes"
          + " are, to attach the agent from a child JVM. Attach it with -javaagent instead:\n\n"
          + MavenSetup.agentMissing(), e);
    }
  }
}
