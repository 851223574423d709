import dev.lockguard.agent.classinit.ClassInitClassVisitor;
import dev.lockguard.agent.core.*;
import dev.lockguard.internal.classinit.ClassInits;
import org.objectweb.asm.ClassReader;
import java.nio.file.*; import java.util.*; import java.util.jar.*;
import java.lang.management.*;
/**
 * The class-init rewriter's own work over every corpus class file held in memory, in one warm JVM:
 * PART {@code reader} makes the {@code ClassReader}s only, {@code may} adds the look for {@code
 * <clinit>}, {@code declare} the header declarations of classes without one, {@code alone} the
 * patches and declarations of classes with one, {@code all} both. Prints each pass's CPU time.
 */
public class CiOnly {
  public static void main(String[] a) throws Exception {
    List<Path> jars = new ArrayList<>(); try (var s = Files.list(Path.of(a[0]))) { s.filter(p->p.toString().endsWith(".jar")).sorted().forEach(jars::add); }
    List<byte[]> files = new ArrayList<>();
    for (Path j : jars) try (JarFile f = new JarFile(j.toFile())) { for (var e = f.entries(); e.hasMoreElements();) { var en = e.nextElement(); String n = en.getName();
      if (!n.endsWith(".class") || n.startsWith("META-INF/") || n.endsWith("module-info.class")) continue; files.add(f.getInputStream(en).readAllBytes()); } }
    ClassInits.readWith(ClassInitClassVisitor.READER);
    ClassRewriter ci = ClassInitClassVisitor.AFTER_LOCK_ORDER;
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    String part = a[2];
    for (int r = 0; r < Integer.parseInt(a[1]); r++) {
      long c = t.getCurrentThreadCpuTime(); long sink = 0;
      for (byte[] f : files) {
        ClassReader reader = new ClassReader(f);
        if (part.equals("reader")) { sink += reader.getItemCount(); continue; }
        boolean may = ci.mayChange(reader);
        if (part.equals("may")) { sink += may ? 1 : 0; continue; }
        if (!may) { if (!part.equals("alone")) ci.notParsed(reader, true); } else if (part.equals("declare")) {} else { byte[] out = ci.rewriteAlone(f, reader, true); sink += out == null ? 0 : out.length; }
      }
      System.out.printf("round %d %s %d ms (%d)%n", r, part, (t.getCurrentThreadCpuTime() - c) / 1000000, sink);
    }
  }
}
