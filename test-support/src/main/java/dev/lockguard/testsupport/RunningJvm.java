package dev.lockguard.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A forked JVM the test talks to while it runs: reads lines of its stdout, writes lines to its
 * stdin, stops it. Killed when its {@link ForkedJvm#timeout} has passed whatever happens, so no
 * read can hang the build; a failure after that says the JVM was killed.
 */
public final class RunningJvm implements AutoCloseable {
  private static final long CLOSE_WAIT_SECONDS = 30;

  private final Process process;
  private final String name;
  private final Duration lifetime;
  private final BufferedReader stdout;
  private final Writer stdin;
  private final Path stderr;
  private volatile boolean killedAsOverdue;

  private RunningJvm(Process process, String name, Duration lifetime, Path stderr) {
    this.process = process;
    this.name = name;
    this.lifetime = lifetime;
    this.stderr = stderr;
    this.stdout = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  static RunningJvm start(List<String> command, String name, Duration lifetime)
      throws IOException {
    Path stderr = Files.createTempFile("lockguard-jvm-err", ".txt");
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    RunningJvm jvm = new RunningJvm(process, name, lifetime, stderr);
    Thread reaper = new Thread(jvm::killWhenOverdue, "reaper-" + name);
    reaper.setDaemon(true);
    reaper.start();
    return jvm;
  }

  /** The next line the JVM prints on stdout, or null once it has ended. */
  public String readLine() throws IOException {
    return stdout.readLine();
  }

  /** Reads stdout up to the line {@code expected}; fails if the JVM ends first. */
  public void awaitLine(String expected) throws IOException {
    String line;
    do {
      line = stdout.readLine();
    } while (line != null && !line.equals(expected));
    if (line == null) {
      throw new AssertionError(name + " ended" + overdueNote() + " before it printed " + expected
          + "; stderr:\n" + stderr());
    }
  }

  /** Writes {@code line} and a newline to the JVM's stdin. */
  public void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Closes the JVM's stdin: it reads end of input. */
  public void closeInput() throws IOException {
    stdin.close();
  }

  /** Sends SIGTERM (what {@code Process.destroy} does on Unix) and returns the exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    return awaitExit();
  }

  /** Sends SIGKILL, which runs no shutdown hook, and returns the exit code. */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    return awaitExit();
  }

  /** Waits for the JVM to end and returns its exit code; fails if it was killed as overdue. */
  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(lifetime.toMillis(), TimeUnit.MILLISECONDS) || killedAsOverdue) {
      throw new AssertionError(name + " did not end" + overdueNote());
    }
    return process.exitValue();
  }

  /** What the JVM has printed on stderr so far. */
  public String stderr() throws IOException {
    return Files.readString(stderr, StandardCharsets.UTF_8);
  }

  /** Kills the JVM if it still runs, and removes its stderr file. */
  @Override
  public void close() throws IOException {
    try {
      process.destroyForcibly().waitFor(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  private String overdueNote() {
    return killedAsOverdue ? " (killed: still running after " + lifetime.toSeconds() + " s)" : "";
  }

  private void killWhenOverdue() {
    try {
      if (process.waitFor(lifetime.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    killedAsOverdue = true;
    process.destroyForcibly();
  }
}
