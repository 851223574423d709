package dev.lockguard.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Attaches the lockguard agent to the JVMs that Surefire and Failsafe fork: adds {@code
 * -javaagent:lockguard-agent.jar=report=DIR/lockguard-%p.json,...} to the {@code argLine} property,
 * after whatever it holds already, so that JaCoCo's {@code prepare-agent} and this goal work
 * together in either order. Each forked JVM writes its own report ({@code %p} is its process id).
 *
 * <p>The agent options are checked here, by the agent jar's own parser, so that a bad value fails
 * the build at once with a message naming the parameter, not a test JVM that will not start.
 */
@Mojo(name = "prepare-agent", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class PrepareAgentMojo extends AbstractMojo {
  private static final Pattern OPTION = Pattern.compile("option \"([a-z]+)\"");

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${plugin.artifactMap}", readonly = true, required = true)
  Map<String, Artifact> pluginArtifactMap;

  /** Skips the goal: no agent is attached. */
  @Parameter(property = "lockguard.skip", defaultValue = "false")
  boolean skip;

  /** The property to add the agent to; Surefire and Failsafe read {@code argLine}. */
  @Parameter(property = "lockguard.propertyName", defaultValue = "argLine")
  String propertyName;

  /** Where each forked JVM writes its report, {@code lockguard-PID.json}. */
  @Parameter(property = "lockguard.reportDirectory",
      defaultValue = "${project.build.directory}/lockguard")
  File reportDirectory;

  /** {@code record} (default) or {@code throw}: also throw in the thread that closes a cycle. */
  @Parameter(property = "lockguard.policy")
  String policy;

  /** {@code graph} (default) or {@code ascending}. */
  @Parameter(property = "lockguard.order")
  String order;

  /** Classes to instrument: globs separated by {@code ;}, e.g. {@code com.acme.*}. */
  @Parameter(property = "lockguard.include")
  String include;

  /** Classes never to instrument: globs separated by {@code ;}. */
  @Parameter(property = "lockguard.exclude")
  String exclude;

  /** The JDK classes to watch (the agent's {@code jdk=} option). */
  @Parameter(property = "lockguard.jdk")
  String jdk;

  /** Application classes to watch as latches (the agent's {@code latches=} option). */
  @Parameter(property = "lockguard.latches")
  String latches;

  /** The deadlock watchdog's period in milliseconds; 0 turns it off. */
  @Parameter(property = "lockguard.watchdog")
  String watchdog;

  @Override
  public void execute() throws MojoExecutionException {
    if (skip) {
      getLog().info("lockguard: skipped (lockguard.skip)");
      return;
    }
    AgentJar agent = AgentJar.of(pluginArtifactMap);
    String options = options();
    check(agent, options);
    try {
      Files.createDirectories(reportDirectory.toPath());
    } catch (IOException e) {
      throw new MojoExecutionException("lockguard: cannot create the report directory "
          + reportDirectory + " (reportDirectory): " + e.getMessage(), e);
    }
    String argument = quoted("-javaagent:" + agent.file().getAbsolutePath() + "=" + options);
    Properties properties = project.getProperties();
    String before = properties.getProperty(propertyName, "").trim();
    if (before.contains(agent.file().getAbsolutePath())) {
      getLog().debug("lockguard: " + propertyName + " has the agent already");
      return;
    }
    String after = before.isEmpty() ? argument : before + " " + argument;
    properties.setProperty(propertyName, after);
    getLog().info("lockguard: " + propertyName + " set to " + after);
  }

  /** The agent options: the report path and every parameter that is set. */
  String options() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("report", new File(reportDirectory, "lockguard-%p.json").getAbsolutePath());
    options.put("policy", policy);
    options.put("order", order);
    options.put("include", include);
    options.put("exclude", exclude);
    options.put("jdk", jdk);
    options.put("latches", latches);
    options.put("watchdog", watchdog);
    List<String> pairs = new ArrayList<>();
    options.forEach((key, value) -> {
      if (value != null && !value.isBlank()) {
        pairs.add(key + "=" + value.trim());
      }
    });
    return String.join(",", pairs);
  }

  /** Lets the agent jar parse the options; a bad one fails the build naming its parameter. */
  private void check(AgentJar agent, String options) throws MojoExecutionException {
    AgentJar.Outcome outcome = agent.run(List.of("options", options));
    if (outcome.exitCode() != 0) {
      String message = outcome.err().strip();
      Matcher option = OPTION.matcher(message);
      String parameter = option.find() ? option.group(1) : "configuration";
      throw new MojoExecutionException("lockguard-maven-plugin: bad parameter <" + parameter
          + ">: " + message.replaceFirst("^lockguard: ", ""));
    }
  }

  /** The argument in double quotes if it holds a space, as Surefire splits argLine at spaces. */
  static String quoted(String argument) {
    return argument.indexOf(' ') < 0 ? argument : '"' + argument.replace("\"", "\\\"") + '"';
  }
}
