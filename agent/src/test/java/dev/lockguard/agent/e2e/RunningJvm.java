package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A fixture JVM the test talks to while it runs: waits for lines on its stdout, writes lines to its
 * stdin, stops it. Killed after two minutes whatever happens, so no read can hang the build.
 */
final class RunningJvm implements AutoCloseable {
  private static final long LIFETIME_MINUTES = 2;

  private final Process process;
  private final BufferedReader stdout;
  private final Writer stdin;
  private final Path stderr;

  private RunningJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.stdout = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** Starts {@code mainClass} in {@code jvm}'s command line. */
  static RunningJvm start(ForkedJvm jvm, String mainClass, String... args) throws IOException {
    Path stderr = Files.createTempFile("lockguard-err", ".txt");
    Process process = new ProcessBuilder(jvm.command(mainClass, args))
        .redirectError(stderr.toFile())
        .start();
    Thread reaper = new Thread(() -> killWhenOverdue(process), "reaper-" + mainClass);
    reaper.setDaemon(true);
    reaper.start();
    return new RunningJvm(process, stderr);
  }

  /** Reads stdout up to the line {@code expected}; fails if the JVM ends first. */
  void awaitLine(String expected) throws IOException {
    String line;
    do {
      line = stdout.readLine();
    } while (line != null && !line.equals(expected));
    assertThat(line).as("the fixture printed %s; stderr:%n%s", expected, stderr()).isNotNull();
  }

  void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  void closeInput() throws IOException {
    stdin.close();
  }

  /** Sends SIGTERM (what {@code Process.destroy} does on Unix) and returns the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    return awaitExit();
  }

  int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(LIFETIME_MINUTES, TimeUnit.MINUTES)).as("the JVM ended").isTrue();
    return process.exitValue();
  }

  String stderr() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static void killWhenOverdue(Process process) {
    try {
      if (!process.waitFor(LIFETIME_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
