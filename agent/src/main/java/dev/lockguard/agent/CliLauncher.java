package dev.lockguard.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Starts the agent jar's command line ({@link Cli}) in class loaders that see the runtime.
 *
 * <p>The agent jar holds the runtime once: as the embedded {@code lockguard-runtime.jar} that
 * premain appends to the boot class path, not as classes at the jar's root. Under {@code java
 * -jar} no agent runs, so nothing puts that jar anywhere, yet the report CLI renders with the
 * runtime's report model and writers. The launcher rebuilds the agent's layout in two loaders:
 *
 * <pre>
 *   platform loader
 *     └ runtime loader: the embedded runtime jar's classes, read into memory
 *         └ agent loader: the agent jar itself, a URLClassLoader over this class's code source
 * </pre>
 *
 * <p>{@link Cli} and the report reader are loaded afresh by the agent loader, and find the
 * runtime's classes through its parent, exactly as the agent's classes find them on the boot
 * class path. The application class loader, which loaded this class from the same jar, never
 * loads a runtime class (it cannot: they are not at the jar's root). The runtime jar is read
 * into memory rather than unpacked, so that the command leaves no temporary file behind.
 */
final class CliLauncher {
  /** By name: {@code Cli.class} would load Cli, which names runtime classes, in this loader. */
  private static final String CLI_CLASS = "dev.lockguard.agent.Cli";

  private CliLauncher() {}

  /** Runs {@link Cli#run} in the loaders above and returns its exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    ClassLoader cli;
    try {
      cli = cliLoader();
    } catch (IOException e) {
      err.println("lockguard: cannot read the runtime jar inside the agent jar: " + e.getMessage());
      return 2;
    }
    return invokeCli(cli, args, out, err);
  }

  /** The agent loader, over the runtime loader, over the platform loader. */
  static ClassLoader cliLoader() throws IOException {
    ClassLoader runtime = new InMemoryJarLoader(classesOf(AgentMain.openRuntimeJar()));
    URL agentJar = CliLauncher.class.getProtectionDomain().getCodeSource().getLocation();
    // Not closed: the loaders live as long as the command, and the JVM exits right after it.
    return new URLClassLoader("lockguard-cli", new URL[] {agentJar}, runtime);
  }

  private static int invokeCli(ClassLoader agent, String[] args, PrintStream out, PrintStream err) {
    try {
      Method run = agent.loadClass(CLI_CLASS)
          .getMethod("run", String[].class, PrintStream.class, PrintStream.class);
      return (int) run.invoke(null, args, out, err);
    } catch (InvocationTargetException e) {
      throw rethrow(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("lockguard: the agent jar has no usable " + CLI_CLASS, e);
    }
  }

  /** Throws what the CLI threw, unwrapped: it is a RuntimeException or an Error. */
  private static RuntimeException rethrow(Throwable thrown) {
    if (thrown instanceof Error error) {
      throw error;
    }
    if (thrown instanceof RuntimeException exception) {
      throw exception;
    }
    return new IllegalStateException(thrown); // Cli.run declares no checked exception
  }

  /** The class files of a jar, by binary class name; other entries are skipped. */
  private static Map<String, byte[]> classesOf(InputStream jar) throws IOException {
    Map<String, byte[]> classes = new HashMap<>();
    try (JarInputStream in = new JarInputStream(jar)) {
      for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
        String name = entry.getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/")
            && !name.endsWith("module-info.class")) {
          classes.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'),
              in.readAllBytes());
        }
      }
    }
    return classes;
  }

  /** Defines classes from bytes held in memory, below the platform class loader. */
  private static final class InMemoryJarLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    InMemoryJarLoader(Map<String, byte[]> classes) {
      super("lockguard-runtime", ClassLoader.getPlatformClassLoader());
      this.classes = classes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classes.get(name);
      if (bytes == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
