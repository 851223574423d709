import java.net.*; import java.nio.file.*; import java.util.*; import java.util.jar.*; import java.lang.management.*;
/**
 * Loads and links every corpus class PASSES times, each pass through a new loader, and prints each
 * pass's CPU time: under the agent, the later passes run its code warm.
 */
public class TwoPass {
  public static void main(String[] a) throws Exception {
    List<Path> jars = new ArrayList<>(); try (var s = Files.list(Path.of(a[0]))) { s.filter(p->p.toString().endsWith(".jar")).sorted().forEach(jars::add); }
    URL[] urls = new URL[jars.size()]; for (int i=0;i<urls.length;i++) urls[i]=jars.get(i).toUri().toURL();
    List<String> names = new ArrayList<>();
    for (Path j : jars) try (JarFile f = new JarFile(j.toFile())) { for (var e = f.entries(); e.hasMoreElements();) { String n = e.nextElement().getName();
      if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class") || n.endsWith("package-info.class")) continue;
      names.add(n.substring(0, n.length()-6).replace('/', '.')); } }
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    for (int pass = 0; pass < Integer.parseInt(a[1]); pass++) {
      URLClassLoader l = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
      long c = t.getCurrentThreadCpuTime(); int ok = 0;
      for (String n : names) { try { Class.forName(n, false, l).getDeclaredFields(); ok++; } catch (Throwable x) {} }
      System.out.println("pass " + pass + " cpu " + (t.getCurrentThreadCpuTime() - c) / 1000000 + " ok " + ok);
    }
  }
}
