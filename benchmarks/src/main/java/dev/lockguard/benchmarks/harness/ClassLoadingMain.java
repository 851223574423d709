package dev.lockguard.benchmarks.harness;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The child program of {@link ClassLoadingHarness}: loads and links every class of every jar in
 * a directory through one {@link URLClassLoader} (whose classes the agent instruments), without
 * initializing any. A class whose dependencies are not in the directory fails to load in every
 * form alike; the counts are printed so that the forms can be seen to do the same work.
 *
 * <p>With {@code --initialize} after the corpus it also initializes each class ({@code
 * Class.forName(name, true, loader)}), running the libraries' static initializers: what the
 * class-initialization detector's hooks and its lazy reading of initializers cost shows there.
 * A class whose initializer fails counts as failed, alike in every form.
 *
 * <p>Prints {@code measure load-wall-ms}, {@code measure load-thread-cpu-ms} (the loading
 * thread, which runs the agent's transformer) and {@code measure load-process-cpu-ms} (every
 * thread: the JIT compiling the agent's code included), then {@code classes N failed F}.
 */
public final class ClassLoadingMain {
  private ClassLoadingMain() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args[0]);
    List<Path> jars = jars(corpus);
    boolean initialize = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--initialize")) {
        initialize = true;
      } else { // quick runs: the first jars only
        jars = jars.subList(0, Math.min(jars.size(), Integer.parseInt(args[i])));
      }
    }
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      urls[i] = jars.get(i).toUri().toURL();
    }
    OperatingSystemMXBean os =
        ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    long wall = System.nanoTime();
    long thread = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    long process = os.getProcessCpuTime();
    int loaded = 0;
    int failed = 0;
    try (URLClassLoader loader =
        new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      for (Path jar : jars) {
        for (String name : classNames(jar)) {
          try {
            // Links; initializes only with --initialize.
            Class.forName(name, initialize, loader).getDeclaredFields();
            loaded++;
          } catch (ClassNotFoundException | LinkageError e) {
            failed++; // a dependency outside the corpus: the same in every form
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "measure load-wall-ms %.0f%n", (System.nanoTime() - wall) / 1e6);
    System.out.printf(Locale.ROOT, "measure load-thread-cpu-ms %.0f%n",
        (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - thread) / 1e6);
    System.out.printf(Locale.ROOT, "measure load-process-cpu-ms %.0f%n",
        (os.getProcessCpuTime() - process) / 1e6);
    System.out.println("classes " + loaded + " failed " + failed + " jars " + jars.size());
  }

  static List<Path> jars(Path corpus) throws IOException {
    try (Stream<Path> files = Files.list(corpus)) {
      List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
      if (jars.isEmpty()) {
        throw new IllegalArgumentException("no jar in " + corpus
            + "; build it with: mvn -B -DskipTests package -pl benchmarks");
      }
      return jars;
    }
  }

  private static List<String> classNames(Path jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        String entry = entries.nextElement().getName();
        if (entry.endsWith(".class") && !entry.startsWith("META-INF/")
            && !entry.endsWith("module-info.class") && !entry.endsWith("package-info.class")) {
          names.add(entry.substring(0, entry.length() - 6).replace('/', '.'));
        }
      }
    }
    return names;
  }
}
