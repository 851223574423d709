import dev.lockguard.agent.classinit.ClassInitClassVisitor;
import dev.lockguard.agent.core.*;
import dev.lockguard.agent.latch.*;
import dev.lockguard.agent.lockorder.LockSiteClassVisitor;
import dev.lockguard.agent.queue.QueueCheckClassVisitor;
import dev.lockguard.internal.classinit.ClassInits;
import java.net.*; import java.nio.file.*; import java.util.*; import java.util.jar.*;
import java.lang.management.*;
/**
 * What the JVM pays for the rewriter's output: rewrites every corpus class with the agent's
 * rewriters with and without the class-init one, then defines and links each set in a fresh loader
 * per round, alternating, and prints each round's CPU time for both.
 */
public class DefBench {
  static final class Bytes extends ClassLoader {
    final Map<String, byte[]> m; Bytes(Map<String, byte[]> m) { super(ClassLoader.getPlatformClassLoader()); this.m = m; }
    protected Class<?> findClass(String n) throws ClassNotFoundException { byte[] b = m.get(n); if (b == null) throw new ClassNotFoundException(n); return defineClass(n, b, 0, b.length); }
  }
  public static void main(String[] a) throws Exception {
    List<Path> jars = new ArrayList<>(); try (var s = Files.list(Path.of(a[0]))) { s.filter(p->p.toString().endsWith(".jar")).sorted().forEach(jars::add); }
    Map<String, byte[]> orig = new LinkedHashMap<>();
    URL[] urls = new URL[jars.size()]; for (int i=0;i<urls.length;i++) urls[i]=jars.get(i).toUri().toURL();
    for (Path j : jars) try (JarFile f = new JarFile(j.toFile())) { for (var e = f.entries(); e.hasMoreElements();) { var en = e.nextElement(); String n = en.getName();
      if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")|| n.endsWith("package-info.class")) continue; orig.put(n.substring(0,n.length()-6).replace('/','.'), f.getInputStream(en).readAllBytes()); } }
    ClassInits.readWith(ClassInitClassVisitor.READER);
    URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    ClassFilter filter = new ClassFilter(List.of(), List.of(), Set.of());
    List<ClassRewriter> base = List.of(QueueCheckClassVisitor.REWRITER, LockSiteClassVisitor.REWRITER, LatchClassVisitor.rewriter(new LatchTypes(List.of())));
    List<ClassRewriter> all = new ArrayList<>(base); all.add(ClassInitClassVisitor.AFTER_LOCK_ORDER);
    Map<String, byte[]> on = new HashMap<>(), off = new HashMap<>();
    for (var x : orig.entrySet()) { byte[] b = x.getValue(); byte[] r1 = null, r2 = null;
      try { r1 = new LockTransformer(filter, all).rewrite(b, loader, true); } catch (Throwable t) {}
      try { r2 = new LockTransformer(filter, base).rewrite(b, loader, true); } catch (Throwable t) {}
      on.put(x.getKey(), r1 == null ? b : r1); off.put(x.getKey(), r2 == null ? b : r2); }
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    for (int r = 0; r < Integer.parseInt(a[1]); r++) {
      long[] ms = new long[2];
      for (int k = 0; k < 2; k++) { boolean isOn = (r + k) % 2 == 0; Bytes l = new Bytes(isOn ? on : off);
        long c = t.getCurrentThreadCpuTime(); int ok = 0;
        for (String n : orig.keySet()) { try { Class.forName(n, false, l).getDeclaredFields(); ok++; } catch (Throwable e) {} }
        ms[isOn ? 0 : 1] = (t.getCurrentThreadCpuTime() - c) / 1000000; }
      System.gc();
      System.out.printf("round %d define on %d off %d ratio %.3f%n", r, ms[0], ms[1], (double) ms[0]/ms[1]);
    }
  }
}
