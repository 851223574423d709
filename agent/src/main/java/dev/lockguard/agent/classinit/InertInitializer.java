package dev.lockguard.agent.classinit;

import static dev.lockguard.agent.core.ClassScan.bytes;
import static dev.lockguard.agent.core.ClassScan.classNameEntry;
import static dev.lockguard.agent.core.ClassScan.isText;
import static dev.lockguard.agent.core.ClassScan.methods;
import static dev.lockguard.agent.core.ClassScan.sameText;
import static dev.lockguard.agent.core.ClassScan.skipMember;
import static dev.lockguard.agent.core.ClassScan.startsWith;
import static dev.lockguard.agent.core.ClassScan.u2;
import static dev.lockguard.agent.core.ClassScan.u4;

import dev.lockguard.agent.core.ClassScan;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Whether a class's initializer is inert: it cannot start another application class's
 * initialization, so the class can be in a cycle of initializations only through its parents,
 * like a class without an initializer, and the runtime would learn nothing from its hooks. Such
 * a class is declared from its header ({@link InitHeader#declare}) and its initializer is left as
 * it is: no hooks for the JVM to parse and verify, no class file kept. About a third of
 * the initializers of a large application are inert: constants, maps of strings, enums whose
 * constants take strings and numbers.
 *
 * <p>The test errs towards "not inert": a wrong "inert" would hide a cycle, a wrong "not inert"
 * costs only the hooks. It reads the initializer and every method of the class that code calls,
 * constructors and instance methods too (and every method of the class once the initializer makes
 * an instance of it, for JDK code may call them: a map calls {@code hashCode}), and says inert
 * only if none of that code
 *
 * <ul>
 *   <li>names another application class in a {@code new}, a static field access or a call, or
 *       in a class constant where it also calls a JDK method that initializes the class it is
 *       given ({@code EnumSet.allOf(Other.class)} initializes {@code Other});
 *   <li>calls a JDK class that may run application code: one that loads classes by name, reads
 *       service providers, runs tasks or reflects ({@link #plainJdk});
 *   <li>makes an {@code invokedynamic} other than a string concatenation or a lambda whose code
 *       is plain or the class's own (read as a method it calls), or loads a dynamic constant or
 *       a method handle;
 *   <li>takes a monitor, calls a lock's {@code lock()} or is a {@code synchronized} method;
 *   <li>calls a method, or reads or writes a static field, that the class inherits from an
 *       application class or interface (javac names the class itself as their owner, and the
 *       access initializes an interface), or calls a method without code (native or abstract: a
 *       subclass's code would run).
 * </ul>
 */
final class InertInitializer {
  private static final int CLASS = 7;
  private static final int METHOD_HANDLE = 15;
  /** A method handle's kind for a static method, {@code REF_invokeStatic}. */
  private static final int STATIC_HANDLE = 6;
  private static final int LDC_W = 0x13;
  /** How many of the class's methods are read before the answer is "not inert". */
  private static final int MAX_METHODS = 64;

  /** The JDK packages whose classes, but those in {@link #NOT_PLAIN}, run no application code. */
  private static final Set<String> PLAIN_PACKAGES = Set.of("java/util", "java/util/concurrent",
      "java/util/concurrent/atomic", "java/util/concurrent/locks", "java/util/regex",
      "java/util/function", "java/util/stream", "java/math", "java/io", "java/time",
      "java/time/temporal", "java/nio");
  /**
   * The classes of {@link #PLAIN_PACKAGES} that may run application code: they load classes by
   * name or read providers, or run tasks or threads.
   */
  private static final Set<String> NOT_PLAIN = Set.of("java/util/ServiceLoader",
      "java/util/ResourceBundle", "java/util/Timer", "java/util/TimerTask",
      "java/util/concurrent/Executors", "java/util/concurrent/ForkJoinPool",
      "java/util/concurrent/CompletableFuture", "java/util/concurrent/ThreadPoolExecutor",
      "java/util/concurrent/ScheduledThreadPoolExecutor", "java/util/concurrent/FutureTask",
      "java/io/ObjectInputStream", "java/io/ObjectOutputStream", "java/time/ZoneId",
      "java/nio/file/FileSystems");
  /** Classes outside those packages that run no application code. */
  private static final Set<String> PLAIN_CLASSES = Set.of("java/nio/charset/StandardCharsets",
      "java/lang/Object", "java/lang/String",
      "java/lang/StringBuilder", "java/lang/StringBuffer", "java/lang/Integer", "java/lang/Long",
      "java/lang/Short", "java/lang/Byte", "java/lang/Character", "java/lang/Boolean",
      "java/lang/Float", "java/lang/Double", "java/lang/Number", "java/lang/Math",
      "java/lang/StrictMath", "java/lang/Enum", "java/lang/CharSequence", "java/lang/Comparable",
      "java/lang/Iterable", "java/lang/ThreadLocal", "java/lang/Void");
  /**
   * Single members of other JDK classes that run no application code, by class: the methods
   * named, and the fields of {@code System}.
   */
  private static final Map<String, Set<String>> PLAIN_MEMBERS = Map.of(
      "java/lang/Class", Set.of("desiredAssertionStatus", "getName", "getSimpleName",
          "getCanonicalName", "getTypeName", "getPackageName", "getClassLoader", "getResource",
          "getResourceAsStream"),
      "java/lang/System", Set.of("getProperty", "getenv", "currentTimeMillis", "nanoTime",
          "arraycopy", "identityHashCode", "lineSeparator", "out", "err"),
      "java/lang/Runtime", Set.of("getRuntime", "availableProcessors", "maxMemory"),
      "java/lang/invoke/MethodHandles", Set.of("lookup"),
      "java/lang/invoke/MethodHandles$Lookup", Set.of("findVarHandle"));

  /**
   * The plain calls that initialize the class they are given, by class: harmless on a class
   * constant of the class itself ({@code Enum.valueOf} in every enum), not on another's.
   */
  private static final Map<String, Set<String>> BY_CLASS = Map.of(
      "java/lang/Enum", Set.of("valueOf"),
      "java/util/EnumSet", Set.of("allOf", "noneOf", "range", "complementOf"),
      "java/util/EnumMap", Set.of("<init>"));
  private static final byte[] ARRAY = {'['};
  private static final byte[] STRING_RESULT =
      ")Ljava/lang/String;".getBytes(StandardCharsets.US_ASCII);

  private final ClassReader reader;
  private final byte[] b;
  /** For the names of JDK classes and their members, made when the first is read. */
  private char[] buffer;
  /** The class's own {@code Class} constant, and where its name's {@code Utf8} entry lies. */
  private final int thisClass;
  private final int thisName;
  /** Whether the class's parents are the JDK's alone: a method it inherits is the JDK's. */
  private final boolean jdkParents;
  /** The initializer's {@code Code} attribute. */
  private int initializer;
  private int count;
  /** The methods' name offsets, flags and {@code Code} offsets (-1: none); null until read. */
  private int[] names;
  private int[] accesses;
  private int[] codes;
  private boolean[] queued;
  private int[] queue;
  private int queueLength;
  /** Where the class's attributes start (their count), past its methods. */
  private int attributes;
  /** Whether the code read loads a class constant of another application class. */
  private boolean otherClass;
  /** Whether the code read calls one of {@link #BY_CLASS}. */
  private boolean byClass;

  private InertInitializer(ClassReader reader) {
    this.reader = reader;
    this.b = bytes(reader);
    this.thisClass = u2(b, reader.header + 2);
    this.thisName = classNameEntry(reader, thisClass);
    int superClass = u2(b, reader.header + 4);
    this.jdkParents = superClass != 0
        && startsWith(b, classNameEntry(reader, superClass), InitHeader.JAVA)
        && u2(b, reader.header + 6) == 0;
  }

  /**
   * Whether the initializer whose {@code Code} attribute is at {@code code} is inert.
   *
   * @param reader a reader of the class, which starts at offset 0
   */
  static boolean test(ClassReader reader, int code) {
    return new InertInitializer(reader).test(code);
  }

  /**
   * Reads the initializer first, and the class's methods' headers only when it calls one of
   * them: two thirds of initializers name another class before they do.
   */
  private boolean test(int code) {
    initializer = code;
    if (!inert(code)) {
      return false;
    }
    for (int next = 0; next < queueLength; next++) {
      int method = queue[next];
      if (next == MAX_METHODS || (accesses[method] & Opcodes.ACC_SYNCHRONIZED) != 0
          || codes[method] < 0 || !inert(codes[method])) {
        return false;
      }
    }
    return !(otherClass && byClass);
  }

  /** Reads the methods' headers, once; the initializer counts as read. */
  private void readMethods() {
    if (names != null) {
      return;
    }
    int offset = methods(b, reader);
    count = u2(b, offset);
    offset += 2;
    names = new int[count];
    accesses = new int[count];
    codes = new int[count];
    for (int i = 0; i < count; i++) {
      accesses[i] = u2(b, offset);
      names[i] = offset + 2;
      codes[i] = ClassScan.codeAttribute(reader, offset);
      offset = skipMember(b, offset);
    }
    attributes = offset;
    queued = new boolean[count];
    queue = new int[count];
    for (int i = 0; i < count; i++) {
      queued[i] = codes[i] == initializer;
    }
  }

  /** Queues method {@code method} to be read ({@link #readMethods} first). */
  private void enqueue(int method) {
    if (!queued[method]) {
      queued[method] = true;
      queue[queueLength++] = method;
    }
  }

  /** Whether the code at {@code code} is inert, queuing the class's methods it calls. */
  private boolean inert(int code) {
    int start = code + 14;
    int end = start + u4(b, code + 10);
    for (int at = start; at < end; ) {
      int opcode = b[at] & 0xFF;
      boolean inert = switch (opcode) {
        case Opcodes.NEW -> {
          int type = u2(b, at + 1);
          if (own(type)) {
            readMethods();
            for (int i = 0; i < count; i++) {
              enqueue(i); // JDK code may call any of an instance's methods
            }
            yield true;
          }
          yield plain(type, 0);
        }
        case Opcodes.GETSTATIC, Opcodes.PUTSTATIC -> {
          int field = reader.getItem(u2(b, at + 1));
          int nameAndType = reader.getItem(u2(b, field + 2));
          yield own(u2(b, field)) ? jdkParents || declaresField(nameAndType)
              : plain(u2(b, field), nameAndType);
        }
        case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKESTATIC,
            Opcodes.INVOKEINTERFACE -> call(reader.getItem(u2(b, at + 1)), opcode);
        case Opcodes.INVOKEDYNAMIC -> dynamic(reader.getItem(u2(b, at + 1)));
        case Opcodes.LDC -> constant(b[at + 1] & 0xFF);
        case LDC_W -> constant(u2(b, at + 1));
        case Opcodes.MONITORENTER -> false;
        default -> true;
      };
      int size = ClassScan.instructionLength(reader, start, at);
      if (!inert || size <= 0 || size > end - at) {
        return false;
      }
      at += size;
    }
    return true;
  }

  /**
   * A call of the method reference at {@code reference}: plain, or the class's own, queued; not a
   * lock's {@code lock()}.
   */
  private boolean call(int reference, int opcode) {
    int type = u2(b, reference);
    int nameAndType = reader.getItem(u2(b, reference + 2));
    int name = reader.getItem(u2(b, nameAndType));
    if (opcode != Opcodes.INVOKESTATIC) {
      for (String lock : InitDescription.LOCK_CALLS) {
        if (isText(b, name, lock)) {
          return false;
        }
      }
    }
    if (!own(type)) {
      // An array's clone(), or a JDK method.
      return startsWith(b, classNameEntry(reader, type), ARRAY) || plain(type, nameAndType);
    }
    readMethods();
    for (int i = 0; i < count; i++) {
      if (sameMember(names[i], nameAndType)) {
        enqueue(i);
        return true;
      }
    }
    return jdkParents; // inherited: Object's or Enum's is plain, an application class's is not
  }

  /**
   * Whether the class declares the field the {@code NameAndType} entry at {@code nameAndType}
   * names. javac names the class itself as the owner of a field it inherits: one of an
   * application interface is initialized by the access, a touch of another class.
   */
  private boolean declaresField(int nameAndType) {
    int offset = ClassScan.fields(b, reader);
    int fields = u2(b, offset);
    offset += 2;
    for (int i = 0; i < fields; i++) {
      if (sameMember(offset + 2, nameAndType)) {
        return true;
      }
      offset = skipMember(b, offset);
    }
    return false;
  }

  /**
   * Whether the member whose name and descriptor indexes are at {@code nameAt} (in its {@code
   * field_info} or {@code method_info}) is the one the {@code NameAndType} entry at {@code
   * nameAndType} names.
   */
  private boolean sameMember(int nameAt, int nameAndType) {
    return sameText(b, reader.getItem(u2(b, nameAt)), reader.getItem(u2(b, nameAndType)))
        && sameText(b, reader.getItem(u2(b, nameAt + 2)), reader.getItem(u2(b, nameAndType + 2)));
  }

  /** Whether the {@code Class} constant {@code index} is the class itself. */
  private boolean own(int index) {
    return index == thisClass || sameText(b, classNameEntry(reader, index), thisName);
  }

  /**
   * Whether the class of {@code Class} constant {@code type} is a JDK class whose member named
   * by the {@code NameAndType} entry at {@code nameAndType} (0: a {@code new}) runs no application
   * code ({@link #plainJdk}), noting a call of {@link #BY_CLASS}. Only a JDK class's names are
   * made into strings.
   */
  private boolean plain(int type, int nameAndType) {
    if (!startsWith(b, classNameEntry(reader, type), InitHeader.JAVA)) {
      return false;
    }
    if (buffer == null) {
      buffer = new char[reader.getMaxStringLength()];
    }
    String className = reader.readUTF8(reader.getItem(type), buffer);
    String member = nameAndType == 0 ? null : reader.readUTF8(nameAndType, buffer);
    if (member != null) {
      byClass |= BY_CLASS.getOrDefault(className, Set.of()).contains(member);
    }
    return plainJdk(className, member);
  }

  /**
   * Whether the {@code invokedynamic} whose constant is at {@code entry} is plain: a string
   * concatenation, or a lambda or method reference whose code is plain or the class's own
   * (queued: JDK code may run it while the initializer does, as {@code computeIfAbsent} does).
   */
  private boolean dynamic(int entry) {
    int nameAndType = reader.getItem(u2(b, entry + 2));
    int name = reader.getItem(u2(b, nameAndType));
    if ((isText(b, name, "makeConcatWithConstants") || isText(b, name, "makeConcat"))
        && endsWith(reader.getItem(u2(b, nameAndType + 2)), STRING_RESULT)) {
      return true;
    }
    int bootstrap = bootstrapMethod(u2(b, entry));
    if (bootstrap < 0 || u2(b, bootstrap + 2) < 2) {
      return false;
    }
    int factory = reader.getItem(u2(b, bootstrap)); // a MethodHandle: kind, then reference
    if (!isText(b, classNameEntry(reader, u2(b, reader.getItem(u2(b, factory + 1)))),
        "java/lang/invoke/LambdaMetafactory")) {
      return false;
    }
    int implementation = reader.getItem(u2(b, bootstrap + 6)); // the second argument
    if (b[implementation - 1] != METHOD_HANDLE) {
      return false;
    }
    int kind = b[implementation];
    return call(reader.getItem(u2(b, implementation + 1)),
        kind == STATIC_HANDLE ? Opcodes.INVOKESTATIC : Opcodes.INVOKEVIRTUAL);
  }

  /** Whether the {@code Utf8} entry at {@code entry} ends with {@code suffix}. */
  private boolean endsWith(int entry, byte[] suffix) {
    int length = u2(b, entry);
    if (length < suffix.length) {
      return false;
    }
    for (int i = 0; i < suffix.length; i++) {
      if (b[entry + 2 + length - suffix.length + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Where entry {@code index} of the {@code BootstrapMethods} attribute lies, or -1. */
  private int bootstrapMethod(int index) {
    readMethods();
    int offset = attributes + 2;
    for (int a = 0; a < u2(b, attributes); a++) {
      if (isText(b, reader.getItem(u2(b, offset)), "BootstrapMethods")) {
        int entry = offset + 8;
        for (int i = 0; i < index && i < u2(b, offset + 6); i++) {
          entry += 4 + 2 * u2(b, entry + 2);
        }
        return index < u2(b, offset + 6) ? entry : -1;
      }
      offset += 6 + u4(b, offset + 2);
    }
    return -1;
  }

  /**
   * Whether loading constant {@code index} is plain: a number, a string or a class (noting one of
   * another application class, which {@link #BY_CLASS} would initialize).
   */
  private boolean constant(int index) {
    int entry = reader.getItem(index);
    int tag = b[entry - 1];
    if (tag == CLASS) {
      int name = classNameEntry(reader, index);
      otherClass |= !own(index) && !startsWith(b, name, ARRAY)
          && !startsWith(b, name, InitHeader.JAVA);
      return true;
    }
    return tag == 3 || tag == 4 || tag == 5 || tag == 6 || tag == 8; // numbers and strings
  }

  /**
   * Whether {@code type}, a JDK class, runs no application code when its member {@code name} is
   * called or accessed (null: a {@code new}); false for any other class.
   */
  static boolean plainJdk(String type, String name) {
    if (!type.startsWith("java/")) {
      return false;
    }
    int slash = type.lastIndexOf('/');
    if (slash == "java/lang".length() && type.startsWith("java/lang/")) {
      if (PLAIN_CLASSES.contains(type) || type.endsWith("Exception") || type.endsWith("Error")) {
        return true;
      }
    } else {
      for (String plainPackage : PLAIN_PACKAGES) {
        if (slash == plainPackage.length() && type.startsWith(plainPackage)) {
          return !NOT_PLAIN.contains(type);
        }
      }
      if (PLAIN_CLASSES.contains(type)) {
        return true;
      }
    }
    return name != null && PLAIN_MEMBERS.getOrDefault(type, Set.of()).contains(name);
  }
}
