package dev.lockguard.agent.core;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;

/**
 * Answers "is this application type a {@code Lock} (a {@code Queue}, ...)?" for call sites whose
 * owner is not a JDK type, by reading the headers of class files (superclass and interfaces)
 * found through the defining loader's resources ({@link ClassFiles}), without loading the classes.
 * Headers and answers are kept per loader, so each type's class file is read once per loader and
 * each question answered once, whichever class asks. What is kept per loader holds no reference
 * to it, so a loader the application drops is collected with its entry.
 *
 * <p>A type is a subtype when it is the type or some supertype is, looked for in the order a type
 * pool's assignability test takes: the superclass first, then, when the type asked about is an
 * interface, each interface in declaration order. A type whose class file cannot be found or
 * read, met before the answer is known, makes the answer false (the call is left alone), and so
 * does a hierarchy deeper than {@value #MAX_DEPTH} (only a malformed one, with a cycle, is).
 */
public final class TypeHierarchy {
  private static final Map<ClassLoader, Types> TYPES = new WeakHashMap<>();
  private static final int MAX_DEPTH = 256;

  private final ClassLoader loader;

  /** Asks {@code loader}'s resources (null: the boot loader's). */
  public TypeHierarchy(ClassLoader loader) {
    this.loader = loader;
  }

  /** Whether {@code internalName} is assignable to {@code type}; false if it cannot be resolved. */
  public boolean isSubtypeOf(String internalName, Class<?> type) {
    return types().answer(loader, internalName, type.getName().replace('.', '/'),
        type.isInterface(), 0) == Answer.YES;
  }

  private Types types() {
    synchronized (TYPES) { // WeakHashMap takes the null key: the boot loader
      return TYPES.computeIfAbsent(loader, key -> new Types());
    }
  }

  /** What a type's hierarchy says; {@code UNREADABLE}: a class file on the way could not be read. */
  private enum Answer { YES, NO, UNREADABLE }

  /** One loader's type headers and answers. */
  private static final class Types {
    /** The header of a type whose class file cannot be found or read. */
    private static final String[] UNREADABLE = new String[0];

    /**
     * By internal name: the superclass (null for {@code java/lang/Object}), then the interfaces.
     */
    private final Map<String, String[]> headers = new ConcurrentHashMap<>();
    /** By type and asked-for type ({@code "a/B c/D"}). */
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    /**
     * Not {@code computeIfAbsent}: the answer recurses into the same map, and the class file is
     * read outside any lock (the loader may load, and so transform, classes).
     */
    Answer answer(ClassLoader loader, String type, String asked, boolean interfaces, int depth) {
      String key = type + ' ' + asked;
      Answer known = answers.get(key);
      if (known == null) {
        known = resolve(loader, type, asked, interfaces, depth);
        answers.putIfAbsent(key, known);
      }
      return known;
    }

    private Answer resolve(ClassLoader loader, String type, String asked, boolean interfaces,
        int depth) {
      if (type.equals(asked)) {
        return Answer.YES;
      }
      String[] header = depth < MAX_DEPTH ? header(loader, type) : UNREADABLE;
      if (header == UNREADABLE) {
        return Answer.UNREADABLE;
      }
      int supertypes = interfaces ? header.length : 1;
      for (int i = 0; i < supertypes; i++) {
        if (header[i] != null) { // java/lang/Object has no superclass
          Answer answer = answer(loader, header[i], asked, interfaces, depth + 1);
          if (answer != Answer.NO) {
            return answer;
          }
        }
      }
      return Answer.NO;
    }

    private String[] header(ClassLoader loader, String type) {
      String[] header = headers.get(type);
      if (header == null) {
        header = read(loader, type);
        headers.putIfAbsent(type, header);
      }
      return header;
    }

    private static String[] read(ClassLoader loader, String type) {
      byte[] classFile = ClassFiles.read(loader, type);
      if (classFile == null) {
        return UNREADABLE;
      }
      try {
        ClassReader reader = new ClassReader(classFile);
        String[] interfaces = reader.getInterfaces();
        String[] header = new String[1 + interfaces.length];
        header[0] = reader.getSuperName();
        System.arraycopy(interfaces, 0, header, 1, interfaces.length);
        return header;
      } catch (RuntimeException e) {
        return UNREADABLE;
      }
    }
  }
}
