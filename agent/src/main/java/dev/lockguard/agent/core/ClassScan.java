package dev.lockguard.agent.core;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Cheap questions about a class file, answered from its constant pool and method headers
 * without parsing it ({@link ClassRewriter#mayChange}). Every answer errs towards "yes": a wrong
 * "no" would leave a lock unwatched, a wrong "yes" costs only the full parse it would have cost
 * anyway.
 */
public final class ClassScan {
  private static final int CLASS = 7;
  private static final int METHODREF = 10;
  private static final int INTERFACE_METHODREF = 11;
  private static final int NAME_AND_TYPE = 12;
  private static final int METHOD_HANDLE = 15;
  private static final int MONITORENTER = 0xC2;
  private static final int WIDE = 0xC4;
  /** The JVM's limit on a method's code length. */
  private static final int MAX_CODE = 65535;
  /**
   * Each opcode's instruction length in bytes; 0 for the three whose length varies ({@code
   * tableswitch}, {@code lookupswitch}, {@code wide}) and for bytes that are no instruction.
   */
  private static final byte[] SIZES = new byte[256];

  static {
    Arrays.fill(SIZES, 0, 0xCA, (byte) 1); // nop to jsr_w; the exceptions follow
    for (int opcode : new int[] {Opcodes.BIPUSH, Opcodes.LDC, Opcodes.ILOAD, Opcodes.LLOAD,
        Opcodes.FLOAD, Opcodes.DLOAD, Opcodes.ALOAD, Opcodes.ISTORE, Opcodes.LSTORE,
        Opcodes.FSTORE, Opcodes.DSTORE, Opcodes.ASTORE, Opcodes.RET, Opcodes.NEWARRAY}) {
      SIZES[opcode] = 2;
    }
    for (int opcode = Opcodes.IFEQ; opcode <= Opcodes.JSR; opcode++) {
      SIZES[opcode] = 3; // the conditional jumps, goto and jsr
    }
    for (int opcode = Opcodes.GETSTATIC; opcode <= Opcodes.INVOKESTATIC; opcode++) {
      SIZES[opcode] = 3; // field accesses and the invokes but interface and dynamic
    }
    for (int opcode : new int[] {Opcodes.SIPUSH, 0x13 /* ldc_w */, 0x14 /* ldc2_w */,
        Opcodes.IINC, Opcodes.NEW, Opcodes.ANEWARRAY, Opcodes.CHECKCAST, Opcodes.INSTANCEOF,
        Opcodes.IFNULL, Opcodes.IFNONNULL}) {
      SIZES[opcode] = 3;
    }
    SIZES[Opcodes.MULTIANEWARRAY] = 4;
    for (int opcode : new int[] {Opcodes.INVOKEINTERFACE, Opcodes.INVOKEDYNAMIC,
        0xC8 /* goto_w */, 0xC9 /* jsr_w */}) {
      SIZES[opcode] = 5;
    }
    SIZES[Opcodes.TABLESWITCH] = 0;
    SIZES[Opcodes.LOOKUPSWITCH] = 0;
    SIZES[WIDE] = 0;
  }

  private ClassScan() {}

  /**
   * A test of a constant-pool string where it lies in the class file: {@code length} bytes of
   * modified UTF-8 (the class file's form) from {@code start}. Comparing bytes makes no
   * {@code String} for the many constants no rewriter cares about.
   */
  @FunctionalInterface
  public interface Utf8Test {
    boolean test(byte[] classfile, int start, int length);
  }

  /** A few names, matched whole against constant-pool strings by their bytes. */
  public static final class Names implements Utf8Test {
    /** The names of each length below {@link #LONG}; those of {@code LONG} bytes or more last. */
    private final byte[][][] byLength = new byte[LONG + 1][][];
    /** Bit n: some name is n bytes long, for n below {@link #LONG}; bit {@code LONG}: longer. */
    private final long lengths;

    private static final int LONG = 63;

    private Names(byte[][] names) {
      long bits = 0;
      for (byte[] name : names) {
        int slot = Math.min(name.length, LONG);
        bits |= 1L << slot;
        byte[][] same = byLength[slot] == null ? new byte[1][] : Arrays.copyOf(byLength[slot],
            byLength[slot].length + 1);
        same[same.length - 1] = name;
        byLength[slot] = same;
      }
      this.lengths = bits;
    }

    public static Names of(Collection<String> names) {
      // A loop, not a stream: the rewriters build their names in premain, where a stream
      // pipeline's first use costs every JVM's start-up its classes and lambdas.
      byte[][] encoded = new byte[names.size()][];
      int i = 0;
      for (String name : names) {
        encoded[i++] = modifiedUtf8(name);
      }
      return new Names(encoded);
    }

    @Override
    public boolean test(byte[] classfile, int start, int length) {
      int slot = Math.min(length, LONG);
      if ((lengths & 1L << slot) == 0) {
        return false; // most strings: no name is that long
      }
      next:
      for (byte[] name : byLength[slot]) { // only the names of this length (past 62: all long)
        if (name.length != length) {
          continue;
        }
        for (int i = length - 1; i >= 0; i--) { // from the end: names share their packages
          if (name[i] != classfile[start + i]) {
            continue next;
          }
        }
        return true;
      }
      return false;
    }
  }

  /** {@code text} as a class file writes it (modified UTF-8: NUL takes two bytes). */
  private static byte[] modifiedUtf8(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x01 && c <= 0x7F) {
        out.write(c);
      } else if (c <= 0x7FF) {
        out.write(0xC0 | c >> 6);
        out.write(0x80 | c & 0x3F);
      } else {
        out.write(0xE0 | c >> 12);
        out.write(0x80 | c >> 6 & 0x3F);
        out.write(0x80 | c & 0x3F);
      }
    }
    return out.toByteArray();
  }

  /** The class file the reader reads, in place (constant offsets index into it). */
  @SuppressWarnings("deprecation") // ASM keeps b public for exactly this: reading bytes in place
  public static byte[] bytes(ClassReader reader) {
    return reader.b;
  }

  /** Where the {@code Utf8} entry of the name of the {@code Class} constant {@code index} lies. */
  public static int classNameEntry(ClassReader reader, int index) {
    return reader.getItem(u2(bytes(reader), reader.getItem(index)));
  }

  /** Whether the {@code Utf8} entry at {@code entry} (its length) starts with {@code prefix}. */
  public static boolean startsWith(byte[] b, int entry, byte[] prefix) {
    if (u2(b, entry) < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[entry + 2 + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the {@code Utf8} entries at {@code one} and {@code other} hold the same text. */
  public static boolean sameText(byte[] b, int one, int other) {
    int length = u2(b, one);
    if (one == other) {
      return true;
    }
    if (u2(b, other) != length) {
      return false;
    }
    for (int i = 2; i < length + 2; i++) {
      if (b[one + i] != b[other + i]) {
        return false;
      }
    }
    return true;
  }

  /** The big-endian unsigned 16-bit value at {@code at}. */
  public static int u2(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
  }

  /** The big-endian 32-bit value at {@code at}. */
  public static int u4(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8
        | b[at + 3] & 0xFF;
  }

  /** Where the Utf8 entry named by the constant-pool index at {@code at} lies (its length). */
  private static int utf8(ClassReader reader, byte[] b, int at) {
    return reader.getItem(u2(b, at));
  }

  /** Whether the Utf8 entry at {@code entry} passes {@code test}. */
  private static boolean is(byte[] b, int entry, Utf8Test test) {
    return test.test(b, entry + 2, u2(b, entry));
  }

  /**
   * {@link #is(byte[], int, Utf8Test)} for names: a call of the final class's own test, which the
   * JIT can inline where the interface call, made with several kinds of test, it could not.
   */
  private static boolean is(byte[] b, int entry, Names names) {
    return names.test(b, entry + 2, u2(b, entry));
  }

  /**
   * Whether the Utf8 entry at {@code entry} is {@code text}. No allocation for a text in ASCII
   * without NUL, the names of classes, methods and attributes in practice.
   */
  public static boolean isText(byte[] b, int entry, String text) {
    int length = u2(b, entry);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0 || c > 0x7F) {
        byte[] bytes = modifiedUtf8(text);
        return bytes.length == length
            && Arrays.equals(bytes, 0, length, b, entry + 2, entry + 2 + length);
      }
      if (i >= length || b[entry + 2 + i] != c) {
        return false;
      }
    }
    return length == text.length();
  }

  /**
   * Whether the class refers to a method or field named one of {@code names} (its name-and-type
   * entries: every call, field access and method handle goes through one).
   */
  public static boolean refersToName(ClassReader reader, Names names) {
    byte[] b = bytes(reader);
    for (int item = 1; item < reader.getItemCount(); item++) {
      int offset = reader.getItem(item);
      if (offset != 0 && b[offset - 1] == NAME_AND_TYPE && is(b, utf8(reader, b, offset), names)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The constant-pool index of the first method reference at or after {@code item} whose owner
   * (the class's internal name, or an array descriptor) passes {@code owner} and whose name is one
   * of {@code name}; 0 when there is none. Nothing is decoded or allocated.
   */
  public static int nextMethodRef(ClassReader reader, int item, Utf8Test owner, Names name) {
    byte[] b = bytes(reader);
    for (int index = item; index < reader.getItemCount(); index++) {
      int offset = reader.getItem(index);
      if (offset == 0) {
        continue; // the second slot of a long or double
      }
      int tag = b[offset - 1];
      if ((tag == METHODREF || tag == INTERFACE_METHODREF)
          && is(b, utf8(reader, b, reader.getItem(u2(b, offset + 2))), name)
          && is(b, utf8(reader, b, reader.getItem(u2(b, offset))), owner)) {
        return index;
      }
    }
    return 0;
  }

  /**
   * Whether a class entry of the class (the owner of a call or field, a {@code new}, a cast, an
   * array's element type, a class literal) is one of {@code classNames}, or the descriptor of a
   * field it refers to is one of {@code fieldDescriptors} ({@code Lname;}). Both are matched whole,
   * so a type that appears only inside a method's descriptor, passed along but never called,
   * stored or made here, does not count. One look at each class and name-and-type entry.
   */
  public static boolean usesType(ClassReader reader, Names classNames, Names fieldDescriptors) {
    byte[] b = bytes(reader);
    for (int item = 1; item < reader.getItemCount(); item++) {
      int offset = reader.getItem(item);
      if (offset == 0) {
        continue; // the second slot of a long or double
      }
      int tag = b[offset - 1];
      if (tag == CLASS && is(b, utf8(reader, b, offset), classNames)
          || tag == NAME_AND_TYPE && is(b, utf8(reader, b, offset + 2), fieldDescriptors)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a method is {@code synchronized} or some method's code holds a byte that may be a
   * {@code monitorenter} (the byte is not decoded as an instruction: an operand of that value
   * also says yes).
   */
  public static boolean mayUseMonitors(ClassReader reader) {
    byte[] b = bytes(reader);
    int offset = methods(b, reader);
    int methods = u2(b, offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      if ((u2(b, offset) & Opcodes.ACC_SYNCHRONIZED) != 0) {
        return true;
      }
      int attributes = u2(b, offset + 6);
      offset += 8;
      for (int a = 0; a < attributes; a++) {
        if (isText(b, utf8(reader, b, offset), "Code")) {
          int code = offset + 14;
          int end = code + u4(b, offset + 10);
          for (int at = code; at < end; at++) {
            if (b[at] == (byte) MONITORENTER) {
              return true;
            }
          }
        }
        offset += 6 + u4(b, offset + 2);
      }
    }
    return false;
  }

  /** Whether the class declares a method of this name (its method headers, no code read). */
  public static boolean declaresMethod(ClassReader reader, String methodName) {
    return method(reader, methodName) >= 0;
  }

  /**
   * Where the {@code Code} attribute of the class's method named {@code methodName} starts (its
   * name index), or -1 when the class declares no such method or the method has no code; for a
   * name that is not overloaded, such as {@code <clinit>}.
   */
  public static int codeOf(ClassReader reader, String methodName) {
    int offset = method(reader, methodName);
    return offset < 0 ? -1 : codeAttribute(reader, offset);
  }

  /**
   * Where the {@code Code} attribute of the method whose {@code method_info} starts at {@code
   * method} starts (its name index), or -1 when the method has no code.
   */
  public static int codeAttribute(ClassReader reader, int method) {
    byte[] b = bytes(reader);
    int attributes = u2(b, method + 6);
    int offset = method + 8;
    for (int a = 0; a < attributes; a++) {
      if (isText(b, utf8(reader, b, offset), "Code")) {
        return offset;
      }
      offset += 6 + u4(b, offset + 2);
    }
    return -1;
  }

  /** Where the first method named {@code methodName} starts ({@code method_info}), or -1. */
  private static int method(ClassReader reader, String methodName) {
    byte[] b = bytes(reader);
    int offset = methods(b, reader);
    int methods = u2(b, offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      if (isText(b, utf8(reader, b, offset + 2), methodName)) {
        return offset;
      }
      offset = skipMember(b, offset);
    }
    return -1;
  }

  /**
   * The methods that may hold a site of a rewriter that watches calls of methods named one of
   * {@code names} and, if {@code monitors}, monitors ({@link #methodsCalling}).
   */
  public static Map<String, Code> methodsWithSites(ClassReader reader, Names names,
      boolean monitors) {
    boolean[] named = new boolean[reader.getItemCount()];
    for (int item = nextMethodRef(reader, 1, ANY, names); item > 0;
        item = nextMethodRef(reader, item + 1, ANY, names)) {
      named[item] = true;
    }
    return methodsCalling(reader, named, monitors);
  }

  private static final Utf8Test ANY = (classfile, start, length) -> true;

  /**
   * The methods that may hold a site of a rewriter that watches the method references {@code
   * calls} marks (by constant-pool index) and, if {@code monitors}, monitors, keyed by name and
   * descriptor ({@code run()V}), with their header figures. A method may hold one if its code
   * calls such a method ({@code invokevirtual}, {@code invokespecial} or {@code invokeinterface}),
   * makes an {@code invokedynamic} while the class has a method handle to such a method, or, with
   * {@code monitors}, is {@code synchronized} or has a {@code monitorenter} or {@code
   * monitorexit}. The code is decoded instruction by instruction (so an operand is never taken for
   * an instruction); code that does not decode counts as holding a site.
   */
  public static Map<String, Code> methodsCalling(ClassReader reader, boolean[] calls,
      boolean monitors) {
    byte[] b = bytes(reader);
    boolean handles = false; // a method handle to a marked method, which invokedynamic may take
    for (int item = 1; item < reader.getItemCount() && !handles; item++) {
      int offset = reader.getItem(item);
      if (offset != 0 && b[offset - 1] == METHOD_HANDLE) {
        int reference = u2(b, offset + 1);
        handles = reference < calls.length && calls[reference];
      }
    }
    char[] buffer = null;
    Map<String, Code> methods = new HashMap<>();
    int offset = methods(b, reader);
    int count = u2(b, offset);
    offset += 2;
    for (int i = 0; i < count; i++) {
      boolean synchronizedMethod =
          monitors && (u2(b, offset) & Opcodes.ACC_SYNCHRONIZED) != 0;
      int nameOffset = offset + 2;
      int attributes = u2(b, offset + 6);
      offset += 8;
      for (int a = 0; a < attributes; a++) {
        if (isText(b, utf8(reader, b, offset), "Code")) {
          int length = u4(b, offset + 10);
          if (synchronizedMethod
              || mayHoldSite(reader, offset + 14, length, calls, handles, monitors)) {
            buffer = buffer != null ? buffer : new char[reader.getMaxStringLength()];
            methods.put(reader.readUTF8(nameOffset, buffer) + reader.readUTF8(nameOffset + 2,
                buffer), new Code(u2(b, offset + 8), length));
          }
        }
        offset += 6 + u4(b, offset + 2);
      }
    }
    return methods;
  }

  /** Whether the code at {@code code} may hold a site ({@link #methodsCalling}). */
  private static boolean mayHoldSite(ClassReader reader, int code, int length, boolean[] calls,
      boolean handles, boolean monitors) {
    byte[] b = bytes(reader);
    int end = code + length;
    int at = code;
    while (at < end) {
      int opcode = b[at] & 0xFF;
      switch (opcode) {
        case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKEINTERFACE -> {
          int method = u2(b, at + 1);
          if (method >= calls.length || calls[method]) {
            return true;
          }
        }
        case Opcodes.INVOKEDYNAMIC -> {
          if (handles) {
            return true;
          }
        }
        case Opcodes.MONITORENTER, Opcodes.MONITOREXIT -> {
          if (monitors) {
            return true;
          }
        }
        default -> { }
      }
      int size = size(b, code, at, opcode);
      if (size <= 0 || size > end - at) {
        return true; // not an instruction we know: assume the worst
      }
      at += size;
    }
    return false;
  }

  /** The length of the instruction at {@code at}, or 0 if it is not a valid one. */
  private static int size(byte[] b, int code, int at, int opcode) {
    int fixed = SIZES[opcode];
    if (fixed != 0) {
      return fixed;
    }
    int operands = at + 1 + (-(at + 1 - code) & 3); // switches align their operands on 4 bytes
    if (operands + 12 > b.length) {
      return 0;
    }
    switch (opcode) {
      case Opcodes.TABLESWITCH -> {
        long cases = (long) u4(b, operands + 8) - u4(b, operands + 4) + 1;
        return cases < 0 || cases > MAX_CODE ? 0 : (int) (operands - at + 12 + 4 * cases);
      }
      case Opcodes.LOOKUPSWITCH -> {
        long pairs = u4(b, operands + 4);
        return pairs < 0 || pairs > MAX_CODE ? 0 : (int) (operands - at + 8 + 8 * pairs);
      }
      case WIDE -> {
        return (b[at + 1] & 0xFF) == Opcodes.IINC ? 6 : 4;
      }
      default -> {
        return 0;
      }
    }
  }

  /**
   * The length in bytes of the instruction at {@code at} of the code that starts at {@code code}
   * (a switch's padding counts from there), or 0 if the byte there is no instruction.
   */
  public static int instructionLength(ClassReader reader, int code, int at) {
    byte[] b = bytes(reader);
    return size(b, code, at, b[at] & 0xFF);
  }

  /** A method's {@code max_locals} and code length in bytes. */
  public record Code(int maxLocals, int length) {}

  /** Where the class file's field count is: past its interfaces. */
  public static int fields(byte[] b, ClassReader reader) {
    int offset = reader.header + 6;
    return offset + 2 + 2 * u2(b, offset);
  }

  /** Where the class file's method count is: past its interfaces and fields. */
  public static int methods(byte[] b, ClassReader reader) {
    int offset = fields(b, reader);
    int fields = u2(b, offset);
    offset += 2;
    for (int i = 0; i < fields; i++) {
      offset = skipMember(b, offset);
    }
    return offset;
  }

  /** Where the field or method whose {@code field_info} or {@code method_info} starts ends. */
  public static int skipMember(byte[] b, int offset) {
    int attributes = u2(b, offset + 6);
    offset += 8;
    for (int a = 0; a < attributes; a++) {
      offset += 6 + u4(b, offset + 2);
    }
    return offset;
  }
}
