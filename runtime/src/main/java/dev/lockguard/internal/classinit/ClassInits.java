package dev.lockguard.internal.classinit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the agent read of each class at load time: its superclass and interfaces, whether other
 * code can start its initialization, and what its static initializer touches.
 *
 * <p>A class with an initializer is declared from its header when it is loaded ({@link
 * #declareInitializer}), and its class file is kept: what its initializer touches is read from
 * it by the agent's {@link Reader} only when the initializer starts ({@link #readIfUnread}), so a
 * class loaded and never initialized costs its load no more than its header. The class files kept
 * are capped ({@link #UNREAD_BYTES}); past that a class is read as it is declared.
 *
 * <p>Classes are known by binary name: two classes of one name in two class loaders share a
 * record, the last one loaded winning (a cycle is still among classes of that name). Registration
 * happens at class-load time under this class's monitor; lookups read a volatile array or a
 * concurrent map and never block.
 */
public final class ClassInits {
  /** The class has a static initializer, instrumented with the hooks. */
  public static final int HAS_CLINIT = 1;
  /** An interface that declares a default method: implementing classes initialize it first. */
  public static final int DEFAULT_METHODS = 2;
  /**
   * Only its outer class's code can start the class's initialization: an anonymous or synthetic
   * class (an enum constant's body), or a private nested class (a lazy holder).
   */
  public static final int NOT_AN_ENTRY = 4;
  /**
   * Every way to start the class's initialization that its declarations offer (its class, or its
   * constructors, static methods and static fields that are not compile-time constants) is
   * package-private or private: only code of its own package can start it, and the agent's
   * package reader is asked whether any does (only when a cycle through it is to be reported).
   */
  public static final int PACKAGE_ENTRY = 8;
  /**
   * Whether {@link #PACKAGE_ENTRY} applies is not read yet: a class without an initializer is
   * declared from its header ({@link #declare}), and {@link Entries} asks the agent to read it
   * from the class file only when a cycle through the class is about to be reported.
   */
  public static final int ENTRY_UNREAD = 16;

  /** A touch made in {@code <clinit>}, or in a method of the class that it calls. */
  public static final byte MAKES = 0;
  public static final byte READS = 1;
  public static final byte WRITES = 2;
  public static final byte CALLS = 3;

  /** One class as the agent described it, and how far its initialization got. */
  static final class Info {
    static final int NEVER = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;

    /** The id the hooks pass, 0 until the class has an initializer ({@link #describe}). */
    volatile int id;
    final String name;
    volatile String fileName;
    volatile String superName;
    volatile String[] interfaces = NO_NAMES;
    volatile int flags;
    volatile Touch[] touches = NO_TOUCHES;
    /** {@link #NEVER}, {@link #RUNNING} or {@link #DONE}, as the hooks saw {@code <clinit>}. */
    volatile int state;
    /**
     * The class file of a class declared with its initializer unread ({@link
     * #declareInitializer}), until {@link #readIfUnread} has the agent read it; null otherwise.
     */
    volatile byte[] unread;

    Info(String name) {
      this.name = name;
    }

    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    /** The touch of {@code target} this class's initializer makes first, or null. */
    Touch touchOf(String target) {
      for (Touch touch : touches) {
        if (touch.target().equals(target)) {
          return touch;
        }
      }
      return null;
    }
  }

  /** {@code how} is one of {@link #MAKES}, {@link #READS}, {@link #WRITES}, {@link #CALLS}. */
  record Touch(String target, String member, String method, int line, byte how) {}

  /**
   * Reads what a class's initializer touches from its class file and tells it with {@link
   * #describe}: the agent's bytecode reader, which the runtime does not have.
   */
  public interface Reader {
    /** Reads {@code classfile} and calls {@link ClassInits#describe} with what it read. */
    void describe(byte[] classfile);
  }

  /**
   * The most bytes of class files kept unread at once: a sixteenth of the heap's limit, at most
   * 64 MB (16 MB under {@code -Xmx256m}).
   */
  static final long UNREAD_BYTES = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);
  private static final VarHandle UNREAD;

  static {
    try {
      UNREAD = MethodHandles.lookup().findVarHandle(Info.class, "unread", byte[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final AtomicLong UNREAD_HELD = new AtomicLong();
  private static volatile Reader reader;
  private static final String[] NO_NAMES = {};
  private static final Touch[] NO_TOUCHES = {};
  private static final Object REGISTRATION = new Object();
  private static final Map<String, Info> BY_NAME = new ConcurrentHashMap<>();
  private static volatile Info[] byId = new Info[256];
  private static int nextId = 1;

  private ClassInits() {}

  /**
   * Declares a class without an initializer from its header: its superclass and its interfaces
   * outside the JDK (binary names, the array kept as it is), and its flags, typically {@link
   * #ENTRY_UNREAD} with {@link #DEFAULT_METHODS} or {@link #NOT_AN_ENTRY}. The detector follows
   * such a class only as a parent or a touched class, never as one on a thread's stack of
   * initializers, so it needs no id, no source file and no touches: its record is made without
   * taking the registration monitor.
   */
  public static void declare(String className, String superName, String[] interfaces,
      int flags) {
    Info made = new Info(className); // one lookup: a name is rarely declared twice
    Info info = BY_NAME.putIfAbsent(className, made);
    header(info == null ? made : info, superName, interfaces, flags, NO_TOUCHES);
  }

  /**
   * What a declaration sets. One from the header has no touches: a class of the same name
   * described before loses its own, the last one loaded winning.
   */
  private static void header(Info info, String superName, String[] interfaces, int flags,
      Touch[] touches) {
    info.touches = touches;
    info.superName = superName;
    info.interfaces = interfaces;
    info.flags = flags;
  }

  /**
   * Declares a class with an initializer from its header, as {@link #declare} does one without
   * ({@code flags} with {@link #HAS_CLINIT}), and keeps its class file for the {@link Reader} to
   * read when the initializer starts; or has the reader read it now, when the class files kept
   * already reach {@link #UNREAD_BYTES}. With no reader set (unit tests that describe their
   * classes themselves) nothing is kept or read.
   *
   * @return the id the initializer's hooks pass
   */
  public static int declareInitializer(String className, String superName, String[] interfaces,
      int flags, byte[] classfile) {
    Info info = register(className);
    header(info, superName, interfaces, flags, NO_TOUCHES);
    info.fileName = null;
    Reader reading = reader;
    if (reading == null) {
      release((byte[]) UNREAD.getAndSet(info, (byte[]) null));
    } else if (UNREAD_HELD.addAndGet(classfile.length) <= UNREAD_BYTES) {
      release((byte[]) UNREAD.getAndSet(info, classfile)); // one of the same name before
    } else {
      UNREAD_HELD.addAndGet(-classfile.length);
      reading.describe(classfile); // describe releases one of the same name kept before
    }
    return info.id;
  }

  /** The agent's reader of class files that {@link #declareInitializer} keeps. */
  public static void readWith(Reader classReader) {
    reader = classReader;
  }

  /**
   * Has the agent read {@code info}'s class file now, if it was kept unread: its initializer is
   * starting, and the detector needs what it touches. A class file that does not read leaves the
   * class with its header's description and no touches.
   */
  static void readIfUnread(Info info) {
    byte[] classfile = (byte[]) UNREAD.getAndSet(info, (byte[]) null);
    if (classfile == null) {
      return;
    }
    release(classfile);
    Reader reading = reader;
    if (reading != null) {
      try {
        reading.describe(classfile);
      } catch (RuntimeException | LinkageError | StackOverflowError unreadable) {
        // a class file the reader cannot decode: the header's description stays
      }
    }
  }

  private static void release(byte[] classfile) {
    if (classfile != null) {
      UNREAD_HELD.addAndGet(-classfile.length);
    }
  }

  /** The bytes of class files kept unread now (tests). */
  static long unreadBytes() {
    return UNREAD_HELD.get();
  }

  /**
   * Describes a class once the agent has read it, and returns the id its initializer's hooks
   * pass. Names are binary names ({@code com.acme.Foo}); the arrays are kept as they are: {@code
   * targets}, {@code members}, {@code methods}, {@code lines} and {@code hows} are parallel arrays
   * of the touches of other classes its initializer makes: the class touched, the field or method
   * it names (null for {@code new}), the method of this class the touch is in and its line.
   */
  public static int describe(String className, String fileName, String superName,
      String[] interfaces, int flags, String[] targets, String[] members, String[] methods,
      int[] lines, byte[] hows) {
    Touch[] touches = new Touch[targets.length];
    for (int i = 0; i < targets.length; i++) {
      touches[i] = new Touch(targets[i], members[i], methods[i], lines[i], hows[i]);
    }
    Info info = register(className);
    release((byte[]) UNREAD.getAndSet(info, (byte[]) null));
    info.fileName = fileName;
    header(info, superName, interfaces, flags, touches);
    return info.id;
  }

  /** The id of {@code className}'s record, made now if new (tests that describe no class). */
  public static int reserve(String className) {
    return register(className).id;
  }

  /** {@code className}'s record with an id, made now if new. */
  private static Info register(String className) {
    Info known = BY_NAME.get(className);
    if (known != null && known.id != 0) {
      return known; // a class of the same name in another loader, or one read again
    }
    synchronized (REGISTRATION) {
      Info info = BY_NAME.computeIfAbsent(className, Info::new);
      if (info.id == 0) {
        int id = nextId++;
        Info[] current = byId;
        if (id >= current.length) {
          current = Arrays.copyOf(current, current.length * 2);
        }
        current[id] = info;
        byId = current;
        info.id = id;
      }
      return info;
    }
  }

  /**
   * Records what the agent read of an {@link #ENTRY_UNREAD} class: whether only its package can
   * start it.
   */
  static void entryRead(Info info, boolean packageOnly) {
    info.flags = info.flags & ~ENTRY_UNREAD | (packageOnly ? PACKAGE_ENTRY : 0);
  }

  static Info get(int id) {
    Info[] current = byId;
    return id > 0 && id < current.length ? current[id] : null;
  }

  static Info byName(String className) {
    return className == null ? null : BY_NAME.get(className);
  }

  /** Forgets how far each initialization got (unit tests only); the descriptions stay. */
  static void resetStates() {
    for (Info info : BY_NAME.values()) {
      info.state = Info.NEVER;
    }
  }
}
