package dev.lockguard.agent.classinit;

import dev.lockguard.agent.core.ClassScan;
import dev.lockguard.internal.classinit.ClassInits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * What the runtime is told of a class ({@link ClassInits#describe}), read straight from its class
 * file with no pass of ASM's reader: its superclass and interfaces, whether it is an interface
 * with default methods, whether code outside its outer class ({@code InnerClasses}) or its
 * package ({@link EntryAccess}) can start its initialization, its source file, and what its
 * {@code <clinit>} touches of other classes: each {@code new}, {@code getstatic}, {@code
 * putstatic} and {@code invokestatic} of another application class (any of which initializes
 * that class first), with its line, counting the touches of the class's own static and private
 * methods the initializer calls, a few rounds deep. The same read tells which of those methods,
 * or the initializer itself, take a lock, for {@link ClinitHooks}' lock hook.
 */
final class InitDescription {
  /** How many times the class's own methods called from its initializer are followed. */
  private static final int OWN_CALL_ROUNDS = 4;
  /** The names of the lock calls the lock hook goes before: {@code Lock.lock()} and kin. */
  static final Set<String> LOCK_CALLS = Set.of("lock", "lockInterruptibly");

  /** One touch of another class. */
  record Touch(String target, String member, String method, int line, byte how) {}

  private final ClassReader reader;
  private final char[] buffer;
  private final String owner;
  private final String superName;
  private final String[] interfaces;
  private final EntryAccess entryAccess = new EntryAccess();
  private String sourceFile;
  private boolean notAnEntry;
  private boolean defaultMethods;
  /** The methods' name offsets, flags and {@code Code} offsets (-1: none), when code is read. */
  private int methodCount;
  private int[] names = new int[16];
  private int[] accesses = new int[16];
  private int[] codes = new int[16];
  /** The initializer's {@code Code} offset, or -1 when it has none or its code is not read. */
  private int initializer = -1;
  private final List<Touch> touches = new ArrayList<>();
  private final Set<String> seenTargets = new HashSet<>();
  private final Set<String> ownCalls = new LinkedHashSet<>();
  private final Set<String> lockingCallees = new HashSet<>();
  private boolean initializerLocks;

  private InitDescription(ClassReader reader) {
    this.reader = reader;
    this.buffer = new char[reader.getMaxStringLength()];
    this.owner = reader.getClassName();
    this.superName = reader.getSuperName();
    this.interfaces = reader.getInterfaces();
  }

  /**
   * Reads the class's declarations and, if {@code code}, the code of its initializer and of the
   * methods it calls.
   */
  static InitDescription read(ClassReader reader, boolean code) {
    InitDescription description = new InitDescription(reader);
    description.readDeclarations(code);
    if (description.initializer >= 0) {
      description.readInitializer();
    }
    return description;
  }

  /** Whether the class is one the runtime watches: an application class being loaded. */
  static boolean watched(ClassReader reader, boolean loadTime) {
    return loadTime && !reader.getClassName().startsWith("java/");
  }

  /**
   * The offset of the initializer's {@code Code} attribute in the class file, or -1 when the class
   * has none or its code was not read.
   */
  int initializerCode() {
    return initializer;
  }

  /** Whether the initializer, or a method of the class it calls, takes a lock or a monitor. */
  boolean takesLock() {
    return initializerLocks || !lockingCallees.isEmpty();
  }

  /** The class's own methods the initializer calls that take a lock ({@code name + descriptor}). */
  Set<String> lockingCallees() {
    return lockingCallees;
  }

  /**
   * Whether only code of the class's package can start its initialization, by its declarations
   * ({@link EntryAccess}); what {@link PackageStarters#packageOnly} reads of a class declared
   * unread.
   */
  boolean packageOnly() {
    return entryAccess.packageOnly();
  }

  /**
   * Tells the runtime, unless the class has no initializer whose code was read, extends only the
   * JDK's classes and declares no default method: the runtime needs nothing of it then.
   *
   * @return the id the initializer's hooks pass, or 0 when the class was not described
   */
  int describe() {
    if (initializer < 0 && !extendsApplicationCode() && !defaultMethods) {
      return 0;
    }
    int count = touches.size();
    String[] targets = new String[count];
    String[] members = new String[count];
    String[] methods = new String[count];
    int[] lines = new int[count];
    byte[] hows = new byte[count];
    for (int i = 0; i < count; i++) {
      Touch touch = touches.get(i);
      targets[i] = touch.target();
      members[i] = touch.member();
      methods[i] = touch.method();
      lines[i] = touch.line();
      hows[i] = touch.how();
    }
    // The JDK's classes are never described: the runtime need not look them up.
    List<String> parents = new ArrayList<>();
    for (String parent : interfaces) {
      if (!parent.startsWith("java/")) {
        parents.add(parent.replace('/', '.'));
      }
    }
    String parentClass = superName == null || superName.startsWith("java/") ? null
        : superName.replace('/', '.');
    int flags = (initializer >= 0 ? ClassInits.HAS_CLINIT : 0)
        | (defaultMethods ? ClassInits.DEFAULT_METHODS : 0)
        | (notAnEntry ? ClassInits.NOT_AN_ENTRY
            : entryAccess.packageOnly() ? ClassInits.PACKAGE_ENTRY : 0);
    return ClassInits.describe(owner.replace('/', '.'), sourceFile, parentClass,
        parents.toArray(new String[0]), flags, targets, members, methods, lines, hows);
  }

  /** The touches, in the order the runtime is told them (for tests). */
  List<Touch> touches() {
    return touches;
  }

  private boolean extendsApplicationCode() {
    if (superName != null && !superName.startsWith("java/")) {
      return true;
    }
    for (String parent : interfaces) {
      if (!parent.startsWith("java/")) {
        return true;
      }
    }
    return false;
  }

  /** Fields, methods and the class's attributes: everything but code. */
  private void readDeclarations(boolean code) {
    int access = reader.getAccess();
    boolean isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
    notAnEntry = (access & Opcodes.ACC_SYNTHETIC) != 0;
    entryAccess.visit(access);
    int offset = reader.header + 6;
    offset += 2 + 2 * reader.readUnsignedShort(offset); // interfaces
    int fields = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < fields; i++) {
      int fieldAccess = reader.readUnsignedShort(offset);
      int attributes = reader.readUnsignedShort(offset + 6);
      offset += 8;
      boolean constant = false;
      for (int a = 0; a < attributes; a++) {
        constant |= "ConstantValue".equals(reader.readUTF8(offset, buffer));
        offset += 6 + reader.readInt(offset + 2);
      }
      entryAccess.field(fieldAccess, constant);
    }
    int methods = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      int methodAccess = reader.readUnsignedShort(offset);
      String name = reader.readUTF8(offset + 2, buffer);
      boolean isInitializer = name.equals("<clinit>");
      entryAccess.method(methodAccess, name);
      if (isInterface && !isInitializer
          && (methodAccess & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC)) == 0) {
        defaultMethods = true;
      }
      int attributes = reader.readUnsignedShort(offset + 6);
      int nameAt = offset + 2;
      offset += 8;
      int codeAt = -1;
      for (int a = 0; a < attributes; a++) {
        if (code && codeAt < 0 && "Code".equals(reader.readUTF8(offset, buffer))) {
          codeAt = offset;
        }
        offset += 6 + reader.readInt(offset + 2);
      }
      if (code) {
        addMethod(nameAt, methodAccess, codeAt);
        if (isInitializer && codeAt >= 0) {
          initializer = codeAt;
        }
      }
    }
    readClassAttributes(offset);
  }

  private void addMethod(int nameAt, int access, int code) {
    int index = methodCount++;
    if (index == codes.length) {
      names = Arrays.copyOf(names, index * 2);
      codes = Arrays.copyOf(codes, index * 2);
      accesses = Arrays.copyOf(accesses, index * 2);
    }
    names[index] = nameAt;
    accesses[index] = access;
    codes[index] = code;
  }

  /** {@code SourceFile} and the class's own entry of {@code InnerClasses}. */
  private void readClassAttributes(int offset) {
    int attributes = reader.readUnsignedShort(offset);
    offset += 2;
    for (int a = 0; a < attributes; a++) {
      String name = reader.readUTF8(offset, buffer);
      int body = offset + 6;
      if (name.equals("SourceFile")) {
        sourceFile = reader.readUTF8(body, buffer);
      } else if (name.equals("InnerClasses")) {
        int classes = reader.readUnsignedShort(body);
        for (int i = 0; i < classes; i++) {
          int entry = body + 2 + 8 * i;
          if (owner.equals(reader.readClass(entry, buffer))
              && (reader.readUnsignedShort(entry + 4) == 0 // anonymous: an enum constant's body
                  || (reader.readUnsignedShort(entry + 6)
                      & (Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC)) != 0)) {
            notAnEntry = true; // or synthetic, or private nested (a lazy holder)
          }
        }
      }
      offset = body + reader.readInt(offset + 2);
    }
  }

  /** The initializer's code, then the class's own methods it calls, a few rounds deep. */
  private void readInitializer() {
    initializerLocks = readCode(initializer, "<clinit>");
    if (ownCalls.isEmpty()) {
      return; // most initializers call no method of their own class
    }
    Set<String> read = new HashSet<>();
    String[] keys = new String[methodCount]; // name + descriptor, made once for every round
    for (int round = 0; round < OWN_CALL_ROUNDS; round++) {
      Set<String> pending = new HashSet<>(ownCalls);
      pending.removeAll(read);
      if (pending.isEmpty()) {
        break;
      }
      read.addAll(pending);
      for (int i = 0; i < methodCount; i++) { // in the class file's order, as the touches were
        if (codes[i] < 0) {
          continue;
        }
        String name = reader.readUTF8(names[i], buffer);
        if (keys[i] == null) {
          keys[i] = name + reader.readUTF8(names[i] + 2, buffer);
        }
        String key = keys[i];
        if (pending.contains(key)) {
          boolean locks = readCode(codes[i], name);
          if (locks || (accesses[i] & Opcodes.ACC_SYNCHRONIZED) != 0) {
            lockingCallees.add(key);
          }
        }
      }
    }
  }

  /**
   * Reads the touches and own calls of the {@code Code} attribute at {@code code}, of method
   * {@code method}; returns whether it takes a monitor or calls a method named like a lock's
   * {@code lock()}. Code that does not decode counts as taking one.
   */
  private boolean readCode(int code, String method) {
    int length = reader.readInt(code + 10);
    int start = code + 14;
    int end = start + length;
    long[] lineTable = lineTable(end);
    int nextLine = 0;
    int line = 0;
    boolean locks = false;
    for (int at = start; at < end; ) {
      int pc = at - start;
      while (nextLine < lineTable.length && (int) (lineTable[nextLine] >>> 32) <= pc) {
        if ((int) (lineTable[nextLine] >>> 32) == pc) {
          line = (int) lineTable[nextLine] & 0xFFFF; // the last entry for pc, as ASM reads it
        }
        nextLine++;
      }
      int opcode = reader.readByte(at);
      switch (opcode) {
        case Opcodes.NEW -> touch(reader.readClass(at + 1, buffer), null, method, line,
            ClassInits.MAKES);
        case Opcodes.GETSTATIC, Opcodes.PUTSTATIC -> {
          int field = reader.getItem(reader.readUnsignedShort(at + 1));
          int nameAndType = reader.getItem(reader.readUnsignedShort(field + 2));
          touch(reader.readClass(field, buffer), reader.readUTF8(nameAndType, buffer), method,
              line, opcode == Opcodes.GETSTATIC ? ClassInits.READS : ClassInits.WRITES);
        }
        case Opcodes.INVOKESTATIC, Opcodes.INVOKESPECIAL, Opcodes.INVOKEVIRTUAL,
            Opcodes.INVOKEINTERFACE -> locks |= call(at, opcode, method, line);
        case Opcodes.MONITORENTER -> locks = true;
        default -> { }
      }
      int size = ClassScan.instructionLength(reader, start, at);
      if (size <= 0 || size > end - at) {
        return true;
      }
      at += size;
    }
    return locks;
  }

  /** A call: an own call, a touch or a lock call (returns whether it is one). */
  private boolean call(int at, int opcode, String method, int line) {
    int reference = reader.getItem(reader.readUnsignedShort(at + 1));
    String methodOwner = reader.readClass(reference, buffer);
    int nameAndType = reader.getItem(reader.readUnsignedShort(reference + 2));
    String name = reader.readUTF8(nameAndType, buffer);
    if (methodOwner.equals(owner) && !name.equals("<init>")
        && (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKESPECIAL)) {
      ownCalls.add(name + reader.readUTF8(nameAndType + 2, buffer));
    } else if (opcode == Opcodes.INVOKESTATIC) {
      touch(methodOwner, name, method, line, ClassInits.CALLS);
    }
    return opcode != Opcodes.INVOKESTATIC && LOCK_CALLS.contains(name);
  }

  /**
   * The code's line numbers, as {@code pc << 32 | index << 16 | line} sorted by pc and then by
   * their order in the table (the last entry for a pc wins, as with ASM).
   */
  private long[] lineTable(int codeEnd) {
    int offset = codeEnd + 2 + 8 * reader.readUnsignedShort(codeEnd);
    int attributes = reader.readUnsignedShort(offset);
    offset += 2;
    long[] table = new long[0];
    for (int a = 0; a < attributes; a++) {
      int body = offset + 6;
      if ("LineNumberTable".equals(reader.readUTF8(offset, buffer))) {
        int entries = reader.readUnsignedShort(body);
        int first = table.length;
        table = Arrays.copyOf(table, first + entries);
        for (int i = 0; i < entries; i++) {
          int entry = body + 2 + 4 * i;
          table[first + i] = (long) reader.readUnsignedShort(entry) << 32
              | (long) Math.min(first + i, 0xFFFF) << 16 | reader.readUnsignedShort(entry + 2);
        }
      }
      offset = body + reader.readInt(offset + 2);
    }
    Arrays.sort(table);
    return table;
  }

  /** Keeps the first touch of each other application class; the JDK's cannot be in a cycle. */
  private void touch(String target, String member, String method, int line, byte how) {
    if (target.equals(owner) || target.startsWith("java/") || target.startsWith("jdk/")
        || target.startsWith("sun/") || target.startsWith("[")) {
      return;
    }
    if (seenTargets.add(target)) {
      touches.add(new Touch(target.replace('/', '.'), member, method, line, how));
    }
  }
}
