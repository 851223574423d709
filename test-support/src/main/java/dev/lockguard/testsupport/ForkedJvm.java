package dev.lockguard.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A new JVM for one program: this JVM's {@code java}, optionally an agent jar with its options and
 * a report file, JVM arguments, and a main class on a class path or a jar.
 *
 * <p>Every run is bounded: a child still running at the timeout (two minutes unless set) is
 * killed, and the run fails saying so, with what the child printed. Output goes to temporary
 * files, not pipes, so a child that prints much never blocks on a full pipe.
 */
public final class ForkedJvm {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private final List<String> jvmArgs = new ArrayList<>();
  private Path agentJar;
  private String agentOptions = "";
  private Path reportFile;
  private String classPath = "";
  private Duration timeout = DEFAULT_TIMEOUT;

  private ForkedJvm() {}

  /** A JVM with nothing set yet: no agent, an empty class path, the default timeout. */
  public static ForkedJvm java() {
    return new ForkedJvm();
  }

  /** Attaches {@code jar} as {@code -javaagent:JAR[=OPTIONS]}; {@code options} may be empty. */
  public ForkedJvm agent(Path jar, String options) {
    agentJar = jar;
    agentOptions = options;
    return this;
  }

  /** Has the agent write its JSON report to {@code file}: {@code report=FILE} goes first. */
  public ForkedJvm report(Path file) {
    reportFile = file;
    return this;
  }

  /** The class path for {@link #command}, {@link #run} and {@link #start}. */
  public ForkedJvm classPath(Path... entries) {
    List<String> paths = new ArrayList<>();
    for (Path entry : entries) {
      paths.add(entry.toString());
    }
    classPath = String.join(File.pathSeparator, paths);
    return this;
  }

  /** Adds a JVM argument, after the agent and before the class path. */
  public ForkedJvm jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  /** How long a run may take, or a {@link RunningJvm} may live, before the child is killed. */
  public ForkedJvm timeout(Duration limit) {
    timeout = limit;
    return this;
  }

  /** {@code java [-javaagent:…] JVMARGS [-cp CLASSPATH] MAIN ARGS}. */
  public List<String> command(String mainClass, String... args) {
    List<String> command = javaAndJvmArgs();
    if (!classPath.isEmpty()) {
      command.add("-cp");
      command.add(classPath);
    }
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /** {@code java [-javaagent:…] JVMARGS -jar JAR ARGS}. */
  public List<String> jarCommand(Path jar, String... args) {
    requireFile(jar, "jar");
    List<String> command = javaAndJvmArgs();
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return command;
  }

  /** Runs {@code mainClass} to its end. */
  public Result run(String mainClass, String... args) throws IOException, InterruptedException {
    return runToTheEnd(command(mainClass, args), mainClass);
  }

  /** Runs {@code java -jar JAR ARGS} to its end. */
  public Result runJar(Path jar, String... args) throws IOException, InterruptedException {
    List<String> name = new ArrayList<>(List.of(jar.getFileName().toString()));
    name.addAll(List.of(args));
    return runToTheEnd(jarCommand(jar, args), String.join(" ", name));
  }

  /** Starts {@code mainClass} and returns at once, for a test that talks to the running JVM. */
  public RunningJvm start(String mainClass, String... args) throws IOException {
    return RunningJvm.start(command(mainClass, args), mainClass, timeout);
  }

  private List<String> javaAndJvmArgs() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (agentJar != null) {
      requireFile(agentJar, "agent jar");
      command.add("-Xshare:off"); // appending to the boot class path disables CDS with a warning
      command.add("-javaagent:" + agentJar + agentArgument());
    } else if (reportFile != null) {
      throw new IllegalStateException("a report file needs an agent to write it");
    }
    command.addAll(jvmArgs);
    return command;
  }

  /** {@code =report=FILE,OPTIONS}, {@code =OPTIONS}, or nothing. */
  private String agentArgument() {
    List<String> options = new ArrayList<>();
    if (reportFile != null) {
      options.add("report=" + reportFile);
    }
    if (!agentOptions.isEmpty()) {
      options.add(agentOptions);
    }
    return options.isEmpty() ? "" : "=" + String.join(",", options);
  }

  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("the " + what + " " + file + " does not exist; build it first"
          + " (mvn package, or the reactor before this module)");
    }
  }

  private Result runToTheEnd(List<String> command, String name)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("lockguard-jvm-out", ".txt");
    Path err = Files.createTempFile("lockguard-jvm-err", ".txt");
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        process.destroyForcibly().waitFor();
      }
      Result result = new Result(process.exitValue(), read(out), read(err));
      if (!ended) {
        throw new AssertionError(name + " did not end within " + timeout.toSeconds()
            + " s and was killed; " + result);
      }
      return result;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /** What a forked JVM left behind: its exit code and everything it printed. */
  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }
}
