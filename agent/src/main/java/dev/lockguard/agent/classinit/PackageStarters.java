package dev.lockguard.agent.classinit;

import dev.lockguard.agent.core.ClassFiles;
import dev.lockguard.internal.classinit.PackageReader;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.instrument.Instrumentation;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Finds the code of a class's runtime package that can start the class's initialization, for a
 * class only its package can start ({@link EntryAccess}). It reads the class files of the
 * package from every directory and jar where the class's loader finds the package (its
 * resources), and counts a class whose bytecode has {@code new}, {@code getstatic}, {@code
 * putstatic} or {@code invokestatic} of the class, or a method handle to one of those, or that
 * extends it (or implements it) and can itself be started. It runs only when a cycle through
 * such a class is about to be reported, in the runtime's reading thread ({@code Entries}). The
 * same thread asks it first, for a class declared without its members ({@link InitHeader}),
 * whether only its package can start it, read from the class file where its loader finds it.
 */
public final class PackageStarters implements PackageReader {
  /** How far up a class's superclasses in the package are followed. */
  private static final int MAX_ANCESTRY = 16;

  private final Instrumentation instrumentation;

  public PackageStarters(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /**
   * {@inheritDoc} A name loaded by several loaders is package-only when every class file of it
   * that can be read says so.
   */
  @Override
  public Boolean packageOnly(String className) {
    Boolean answer = null;
    for (Class<?> type : loaded(className)) {
      Boolean one = packageOnly(type);
      answer = one == null ? answer : answer == null ? one : answer && one;
    }
    return answer;
  }

  /** The loaded classes of that name, one a loader. */
  private List<Class<?>> loaded(String className) {
    List<Class<?>> named = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (type.getName().equals(className)) {
        named.add(type);
      }
    }
    return named;
  }

  /**
   * Whether only code of its package can start {@code type}'s initialization, read from its class
   * file where its loader finds it; null when there is none (the JDK's loader, a class defined
   * from bytes of no resource) or it does not parse.
   */
  static Boolean packageOnly(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    if (loader == null) {
      return null;
    }
    byte[] classFile = ClassFiles.read(loader, type.getName().replace('.', '/'));
    try {
      return classFile == null ? null
          : InitDescription.read(new ClassReader(classFile), false).packageOnly();
    } catch (RuntimeException e) {
      return null; // not a class file ASM can read
    }
  }

  @Override
  public String starterOf(String className, Set<String> notCounted) {
    List<Class<?>> types = loaded(className);
    for (Class<?> type : types) {
      String starter = starterOf(type, notCounted);
      if (starter == null || !starter.isEmpty()) {
        return starter;
      }
    }
    return types.isEmpty() ? null : "";
  }

  /** {@link #starterOf(String, Set)} for one loaded class of that name. */
  static String starterOf(Class<?> type, Set<String> notCounted) {
    Map<String, byte[]> classes = packageOf(type);
    if (classes == null) {
      return null;
    }
    Set<String> skipped = new HashSet<>();
    for (String name : notCounted) {
      skipped.add(name.replace('.', '/'));
    }
    String starter = new Search(classes, skipped)
        .starterOf(type.getName().replace('.', '/'), new HashSet<>());
    return starter == null ? "" : starter.replace('/', '.');
  }

  /**
   * The class files of {@code type}'s package where its loader finds them, by internal name; null
   * when the place of {@code type}'s own class file cannot be read. The last package read is kept
   * for the next question: the classes of one cycle, and the cycles of one package, are asked
   * about one after another.
   */
  private static Map<String, byte[]> packageOf(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    String name = type.getName().replace('.', '/');
    int slash = name.lastIndexOf('/');
    if (loader == null || slash < 0) {
      return null; // the JDK's, or the unnamed package: not looked into
    }
    String dir = name.substring(0, slash + 1);
    LastPackage last = lastPackage;
    if (last != null && last.loader.get() == loader && last.dir.equals(dir)) {
      return last.classes;
    }
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try {
      URL own = loader.getResource(name + ".class");
      if (own == null || !read(own, dir, classes)) {
        return null;
      }
      Enumeration<URL> places = loader.getResources(dir);
      while (places.hasMoreElements()) {
        read(places.nextElement(), dir, classes); // a split package's other places, if readable
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    lastPackage = new LastPackage(new WeakReference<>(loader), dir, classes);
    return classes;
  }

  /** The package {@link #packageOf} read last; its loader held weakly. */
  private record LastPackage(WeakReference<ClassLoader> loader, String dir,
      Map<String, byte[]> classes) {}

  private static volatile LastPackage lastPackage;

  /** Adds the class files of {@code dir} at the jar or directory of {@code url}. */
  private static boolean read(URL url, String dir, Map<String, byte[]> into) throws IOException {
    if (url.getProtocol().equals("jar")) {
      try (JarFile jar = openUnverified(url)) {
        if (jar == null) {
          return false;
        }
        for (JarEntry entry : jar.stream().toList()) {
          String entryName = entry.getName();
          if (inPackage(entryName, dir)) {
            into.putIfAbsent(entryName.substring(0, entryName.length() - 6),
                jar.getInputStream(entry).readAllBytes());
          }
        }
      }
      return true;
    }
    if (!url.getProtocol().equals("file")) {
      return false;
    }
    Path path;
    try {
      path = Path.of(url.toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return false;
    }
    Path folder = Files.isDirectory(path) ? path : path.getParent();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        String fileName = dir + file.getFileName();
        if (inPackage(fileName, dir)) {
          into.putIfAbsent(fileName.substring(0, fileName.length() - 6), Files.readAllBytes(file));
        }
      }
    }
    return true;
  }

  /**
   * Our own {@link JarFile} of a {@code jar:} URL, closed by the caller, not the loader's: opened
   * without verifying its signatures when the jar is a file (the bytes are only read here, and
   * a signed jar's verification hashes every entry read), else through the connection; null
   * when the URL is not a jar's.
   */
  private static JarFile openUnverified(URL url) throws IOException {
    String spec = url.getFile();
    int separator = spec.indexOf("!/");
    if (separator > 0) {
      try {
        URI inner = new URI(spec.substring(0, separator));
        if ("file".equals(inner.getScheme())) {
          return new JarFile(Path.of(inner).toFile(), false);
        }
      } catch (URISyntaxException | IllegalArgumentException e) {
        // not a file's: the connection below opens it
      }
    }
    URLConnection connection = url.openConnection();
    if (!(connection instanceof JarURLConnection jarConnection)) {
      return null;
    }
    jarConnection.setUseCaches(false);
    return jarConnection.getJarFile();
  }

  private static boolean inPackage(String path, String dir) {
    return path.startsWith(dir) && path.endsWith(".class")
        && path.indexOf('/', dir.length()) < 0;
  }

  /** One question: who in these classes starts a class, without the code of {@code skipped}. */
  private record Search(Map<String, byte[]> classes, Set<String> skipped) {
    /**
     * The first class whose code starts {@code target}, or that extends or implements it and is
     * itself started by code outside the package or by a class found so; null if none.
     */
    String starterOf(String target, Set<String> asked) {
      if (!asked.add(target)) {
        return null;
      }
      String needle = new String(target.getBytes(StandardCharsets.UTF_8),
          StandardCharsets.ISO_8859_1);
      for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
        String name = entry.getKey();
        byte[] bytes = entry.getValue();
        if (name.equals(target)
            || !new String(bytes, StandardCharsets.ISO_8859_1).contains(needle)) {
          continue; // its own code runs only once it is initialized
        }
        ClassReader reader = new ClassReader(bytes);
        if (target.equals(reader.getSuperName())
            || List.of(reader.getInterfaces()).contains(target)) {
          if (startedOutside(reader)) {
            return name;
          }
          String starter = starterOf(name, asked);
          if (starter != null) {
            return starter;
          }
        } else if (!codeSkipped(name, reader) && codeStarts(reader, target)) {
          return name;
        }
      }
      return null;
    }

    /**
     * Whether {@code name}'s code cannot run before a skipped class is initialized: it is skipped,
     * it extends a skipped class, or it is an anonymous or local class (its {@code
     * EnclosingMethod} names the class it is declared in) of a class whose code cannot. Such a
     * class is made only by the code that declares it: jgit's transport protocols, anonymous
     * classes of the transports, start other transports only once the transports' superclass is
     * initialized.
     */
    private boolean codeSkipped(String name, ClassReader reader) {
      return codeSkipped(name, reader, 0);
    }

    private boolean codeSkipped(String name, ClassReader reader, int depth) {
      if (skipped.contains(name)) {
        return true;
      }
      if (reader == null || depth == MAX_ANCESTRY) {
        return false;
      }
      // An anonymous or local class is made only by the code of the class it is declared in.
      return skippedAt(reader.getSuperName(), depth) || skippedAt(enclosingClass(reader), depth);
    }

    /** {@link #codeSkipped} for the class named {@code name} in the package, if any. */
    private boolean skippedAt(String name, int depth) {
      if (name == null) {
        return false;
      }
      byte[] bytes = classes.get(name);
      return codeSkipped(name, bytes == null ? null : new ClassReader(bytes), depth + 1);
    }

    /** The class an anonymous or local class is declared in ({@code EnclosingMethod}), or null. */
    private static String enclosingClass(ClassReader reader) {
      String[] enclosing = new String[1];
      reader.accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public void visitOuterClass(String owner, String name, String descriptor) {
          enclosing[0] = owner;
        }
      }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return enclosing[0];
    }

    private static boolean startedOutside(ClassReader reader) {
      EntryAccess access = new EntryAccess();
      reader.accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public void visit(int version, int flags, String name, String signature,
            String superName, String[] interfaces) {
          access.visit(flags);
        }

        @Override
        public FieldVisitor visitField(int flags, String name, String descriptor,
            String signature, Object value) {
          access.field(flags, value != null);
          return null;
        }

        @Override
        public MethodVisitor visitMethod(int flags, String name, String descriptor,
            String signature, String[] exceptions) {
          access.method(flags, name);
          return null;
        }
      }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return !access.packageOnly();
    }

    private static boolean codeStarts(ClassReader reader, String target) {
      boolean[] starts = new boolean[1];
      MethodVisitor code = new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitTypeInsn(int opcode, String type) {
          starts[0] |= opcode == Opcodes.NEW && type.equals(target);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
          starts[0] |= opcode != Opcodes.GETFIELD && opcode != Opcodes.PUTFIELD
              && owner.equals(target);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
            boolean isInterface) {
          starts[0] |= opcode == Opcodes.INVOKESTATIC && owner.equals(target);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap,
            Object... arguments) {
          for (Object argument : arguments) {
            visitLdcInsn(argument);
          }
        }

        @Override
        public void visitLdcInsn(Object value) {
          if (value instanceof Handle handle && handle.getOwner().equals(target)) {
            int tag = handle.getTag();
            starts[0] |= tag == Opcodes.H_GETSTATIC || tag == Opcodes.H_PUTSTATIC
                || tag == Opcodes.H_INVOKESTATIC || tag == Opcodes.H_NEWINVOKESPECIAL;
          }
        }
      };
      reader.accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor,
            String signature, String[] exceptions) {
          return starts[0] ? null : code;
        }
      }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return starts[0];
    }
  }
}
