package dev.lockguard.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * The agent's entry points: {@code premain}, {@code agentmain} and the report CLI's {@code main}.
 *
 * <p>Its sole responsibility is to push the embedded runtime jar onto the bootstrap class path and
 * then delegate; {@code main} instead hands the command line to {@link CliLauncher}, which loads
 * that jar in a class loader of its own. It must not mention any runtime class itself: one loaded
 * through the application class loader before the append would split lockguard's state in two,
 * and the agent jar holds no runtime class at its root for that loader to find.
 */
public final class AgentMain {
  static final String RUNTIME_RESOURCE = "/dev/lockguard/agent/lockguard-runtime.jar";

  private AgentMain() {}

  public static void premain(String options, Instrumentation instrumentation) {
    start(options, instrumentation, true);
  }

  public static void agentmain(String options, Instrumentation instrumentation) {
    start(options, instrumentation, false);
  }

  /** {@code java -jar lockguard-agent.jar report FILE...}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the command line without exiting and returns its exit code: for a host that loads the
   * agent jar in a class loader of its own, as the Maven plugin does ({@code report} and {@code
   * check}), instead of starting a JVM for {@code java -jar}.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return CliLauncher.run(args, out, err);
  }

  private static void start(String options, Instrumentation instrumentation, boolean atStartup) {
    try {
      appendRuntimeToBootstrap(instrumentation);
    } catch (IOException e) {
      fail("cannot unpack its runtime jar to a temporary file (" + e.getMessage()
          + "). Fix: make java.io.tmpdir writable, or set -Djava.io.tmpdir=DIR.", atStartup);
      return;
    }
    try {
      Installer.install(options, instrumentation);
    } catch (AgentOptions.BadOption e) {
      fail(e.getMessage(), atStartup);
    }
  }

  private static void appendRuntimeToBootstrap(Instrumentation instrumentation) throws IOException {
    if (runtimeOnBootstrap()) {
      return; // attached twice: the first attach already did it
    }
    try (InputStream jar = openRuntimeJar()) {
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(copyToTempFile(jar).toFile()));
    }
  }

  /**
   * Copies the runtime jar to a new file in {@code java.io.tmpdir}, deleted at exit. The name is
   * the process id and the clock's nanoseconds, not {@code Files.createTempFile}'s random number:
   * seeding its {@code SecureRandom} loads the security providers, about 20 ms of every JVM's
   * start-up (docs/performance.md, "Start-up, 30 November 2026"). The file is created new, never
   * one that exists or a link followed, so another process's file is never written or deleted.
   */
  private static Path copyToTempFile(InputStream jar) throws IOException {
    Path directory = Path.of(System.getProperty("java.io.tmpdir"));
    String prefix = "lockguard-runtime-" + ProcessHandle.current().pid() + "-";
    for (int attempt = 1; ; attempt++) {
      Path copy = directory.resolve(prefix + Long.toHexString(System.nanoTime()) + ".jar");
      try {
        Files.copy(jar, copy); // creates the file new: fails before reading when it exists
      } catch (FileAlreadyExistsException taken) {
        if (attempt == 10) {
          throw taken;
        }
        continue;
      } catch (IOException e) {
        Files.deleteIfExists(copy);
        throw e;
      }
      copy.toFile().deleteOnExit();
      return copy;
    }
  }

  /** The embedded runtime jar, for the boot class path or the CLI's class loader. */
  static InputStream openRuntimeJar() throws IOException {
    InputStream jar = AgentMain.class.getResourceAsStream(RUNTIME_RESOURCE);
    if (jar == null) {
      throw new IOException("the agent jar has no " + RUNTIME_RESOURCE + "; rebuild it with mvn package");
    }
    return jar;
  }

  private static boolean runtimeOnBootstrap() {
    try {
      Class.forName("dev.lockguard.internal.lockorder.Hooks", false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** At start-up a broken agent stops the JVM: running unwatched is worse than not running. */
  private static void fail(String message, boolean atStartup) {
    System.err.println("lockguard: " + message);
    if (atStartup) {
      System.exit(2);
    }
    throw new IllegalArgumentException("lockguard: " + message);
  }
}
