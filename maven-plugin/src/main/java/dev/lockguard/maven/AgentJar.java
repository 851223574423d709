package dev.lockguard.maven;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The agent jar this plugin was built with: its path for {@code -javaagent:}, and its command line
 * ({@code report}, {@code options}) run in this JVM, in a class loader of its own below the
 * platform loader, so that nothing of Maven's is seen by it and nothing of it by Maven.
 */
final class AgentJar {
  static final String KEY = "dev.lockguard:lockguard-agent";

  /** What a command printed, and its exit code. */
  record Outcome(int exitCode, String out, String err) {}

  private final File file;

  private AgentJar(File file) {
    this.file = file;
  }

  /** The agent jar among the plugin's own dependencies. */
  static AgentJar of(Map<String, Artifact> pluginArtifacts) throws MojoExecutionException {
    Artifact agent = pluginArtifacts.get(KEY);
    if (agent == null || agent.getFile() == null || !agent.getFile().isFile()) {
      throw new MojoExecutionException("lockguard: the plugin's dependency " + KEY
          + " is missing or not a jar; reinstall dev.lockguard:lockguard-maven-plugin.");
    }
    return new AgentJar(agent.getFile());
  }

  File file() {
    return file;
  }

  /** Runs {@code java -jar lockguard-agent.jar ARGS} in this JVM and returns what it printed. */
  Outcome run(List<String> args) throws MojoExecutionException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader("lockguard-agent",
        new URL[] {file.toURI().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Method run = loader.loadClass("dev.lockguard.agent.AgentMain")
          .getMethod("run", String[].class, PrintStream.class, PrintStream.class);
      int exit = (int) run.invoke(null, args.toArray(new String[0]),
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Outcome(exit, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } catch (InvocationTargetException e) {
      throw new MojoExecutionException("lockguard: the agent jar's command failed", e.getCause());
    } catch (IOException | ReflectiveOperationException e) {
      throw new MojoExecutionException("lockguard: cannot run the agent jar " + file
          + "; it does not look like lockguard's agent jar", e);
    }
  }
}
