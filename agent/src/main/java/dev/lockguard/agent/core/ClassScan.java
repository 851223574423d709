package dev.lockguard.agent.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
   * Whether the class refers to a method or field named one of {@code names} (its name-and-type
   * entries: every call, field access and method handle goes through one).
   */
  public static boolean refersToName(ClassReader reader, Set<String> names) {
    char[] buffer = new char[reader.getMaxStringLength()];
    for (int item = 1; item < reader.getItemCount(); item++) {
      int offset = reader.getItem(item);
      if (offset != 0 && reader.readByte(offset - 1) == NAME_AND_TYPE
          && names.contains(reader.readUTF8(offset, buffer))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the class refers to a method of class {@code owner} other than a constructor. */
  public static boolean refersToMethodOf(ClassReader reader, String owner) {
    char[] buffer = new char[reader.getMaxStringLength()];
    for (int item = 1; item < reader.getItemCount(); item++) {
      int offset = reader.getItem(item);
      if (offset == 0) {
        continue;
      }
      int tag = reader.readByte(offset - 1);
      if ((tag == METHODREF || tag == INTERFACE_METHODREF)
          && owner.equals(reader.readClass(offset, buffer))) {
        int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
        if (!"<init>".equals(reader.readUTF8(nameAndType, buffer))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a class the class refers to, or the descriptor of a method or field it refers to, is
   * or names one of {@code typeNames} (internal names, matched whole: a nested class of one is
   * another type). One pass over each string, whatever the number of types.
   */
  public static boolean mentionsType(ClassReader reader, Iterable<String> typeNames) {
    char[] buffer = new char[reader.getMaxStringLength()];
    for (int item = 1; item < reader.getItemCount(); item++) {
      int offset = reader.getItem(item);
      if (offset == 0) {
        continue;
      }
      int tag = reader.readByte(offset - 1);
      if (tag == CLASS) {
        String name = reader.readUTF8(offset, buffer);
        if (name.startsWith("[") ? namesType(name, typeNames) : isOneOf(name, 0, name.length(),
            typeNames)) {
          return true;
        }
      } else if (tag == NAME_AND_TYPE && namesType(reader.readUTF8(offset + 2, buffer),
          typeNames)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a descriptor has an {@code Lname;} for one of {@code typeNames}. */
  private static boolean namesType(String descriptor, Iterable<String> typeNames) {
    // Outside the names an L can only start one: the other type letters are not L.
    for (int start = descriptor.indexOf('L'); start >= 0; ) {
      int end = descriptor.indexOf(';', start);
      if (end < 0) {
        return false;
      }
      if (isOneOf(descriptor, start + 1, end, typeNames)) {
        return true;
      }
      start = descriptor.indexOf('L', end + 1);
    }
    return false;
  }

  private static boolean isOneOf(String text, int start, int end, Iterable<String> typeNames) {
    for (String typeName : typeNames) {
      if (typeName.length() == end - start && text.startsWith(typeName, start)) {
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
    char[] buffer = new char[reader.getMaxStringLength()];
    int offset = methods(reader);
    int methods = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      if ((reader.readUnsignedShort(offset) & Opcodes.ACC_SYNCHRONIZED) != 0) {
        return true;
      }
      int attributes = reader.readUnsignedShort(offset + 6);
      offset += 8;
      for (int a = 0; a < attributes; a++) {
        String name = reader.readUTF8(offset, buffer);
        int length = reader.readInt(offset + 2);
        if ("Code".equals(name)) {
          int codeLength = reader.readInt(offset + 10);
          int code = offset + 14;
          for (int b = code; b < code + codeLength; b++) {
            if ((reader.readByte(b) & 0xFF) == MONITORENTER) {
              return true;
            }
          }
        }
        offset += 6 + length;
      }
    }
    return false;
  }

  /** Whether the class declares a method of this name (its method headers, no code read). */
  public static boolean declaresMethod(ClassReader reader, String methodName) {
    char[] buffer = new char[reader.getMaxStringLength()];
    int offset = methods(reader);
    int methods = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      if (methodName.equals(reader.readUTF8(offset + 2, buffer))) {
        return true;
      }
      offset = skipMember(reader, offset);
    }
    return false;
  }

  /**
   * The methods that may hold a site of a rewriter that watches calls of methods named one of
   * {@code names} and, if {@code monitors}, monitors, keyed by name and descriptor ({@code
   * run()V}), with their header figures. A method may hold one if its code calls such a method
   * ({@code invokevirtual}, {@code invokespecial} or {@code invokeinterface} of a method reference
   * by that name), makes an {@code invokedynamic} while the class has a method handle to such a
   * method, or, with {@code monitors}, is {@code synchronized} or has a {@code monitorenter} or
   * {@code monitorexit}. The code is decoded instruction by instruction (so an operand is never
   * taken for an instruction); code that does not decode counts as holding a site.
   */
  public static Map<String, Code> methodsWithSites(ClassReader reader, Set<String> names,
      boolean monitors) {
    char[] buffer = new char[reader.getMaxStringLength()];
    boolean[] named = namedMethodRefs(reader, names, buffer);
    boolean handles = false; // a method handle to a named method, which invokedynamic may take
    for (int item = 1; item < reader.getItemCount() && !handles; item++) {
      int offset = reader.getItem(item);
      if (offset != 0 && reader.readByte(offset - 1) == METHOD_HANDLE) {
        int reference = reader.readUnsignedShort(offset + 1);
        handles = reference < named.length && named[reference];
      }
    }
    Map<String, Code> methods = new HashMap<>();
    int offset = methods(reader);
    int count = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < count; i++) {
      boolean synchronizedMethod =
          monitors && (reader.readUnsignedShort(offset) & Opcodes.ACC_SYNCHRONIZED) != 0;
      int nameOffset = offset + 2;
      int attributes = reader.readUnsignedShort(offset + 6);
      offset += 8;
      for (int a = 0; a < attributes; a++) {
        if ("Code".equals(reader.readUTF8(offset, buffer))) {
          int length = reader.readInt(offset + 10);
          if (synchronizedMethod
              || mayHoldSite(reader, offset + 14, length, named, handles, monitors)) {
            methods.put(reader.readUTF8(nameOffset, buffer) + reader.readUTF8(nameOffset + 2,
                buffer), new Code(reader.readUnsignedShort(offset + 8), length));
          }
        }
        offset += 6 + reader.readInt(offset + 2);
      }
    }
    return methods;
  }

  /** By constant pool index: whether the entry is a method reference named one of {@code names}. */
  private static boolean[] namedMethodRefs(ClassReader reader, Set<String> names, char[] buffer) {
    boolean[] named = new boolean[reader.getItemCount()];
    for (int item = 1; item < named.length; item++) {
      int offset = reader.getItem(item);
      if (offset == 0) {
        continue; // the second slot of a long or double
      }
      int tag = reader.readByte(offset - 1);
      if (tag == METHODREF || tag == INTERFACE_METHODREF) {
        int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
        named[item] = names.contains(reader.readUTF8(nameAndType, buffer));
      }
    }
    return named;
  }

  /** Whether the code at {@code code} may hold a site ({@link #methodsWithSites}). */
  private static boolean mayHoldSite(ClassReader reader, int code, int length, boolean[] named,
      boolean handles, boolean monitors) {
    int end = code + length;
    int at = code;
    while (at < end) {
      int opcode = reader.readByte(at);
      switch (opcode) {
        case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKEINTERFACE -> {
          int method = reader.readUnsignedShort(at + 1);
          if (method >= named.length || named[method]) {
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
      int size = size(reader, code, at, opcode);
      if (size <= 0 || size > end - at) {
        return true; // not an instruction we know: assume the worst
      }
      at += size;
    }
    return false;
  }

  /** The length of the instruction at {@code at}, or 0 if it is not a valid one. */
  private static int size(ClassReader reader, int code, int at, int opcode) {
    int fixed = SIZES[opcode];
    if (fixed != 0) {
      return fixed;
    }
    int operands = at + 1 + (-(at + 1 - code) & 3); // switches align their operands on 4 bytes
    switch (opcode) {
      case Opcodes.TABLESWITCH -> {
        long cases = (long) reader.readInt(operands + 8) - reader.readInt(operands + 4) + 1;
        return cases < 0 || cases > MAX_CODE ? 0 : (int) (operands - at + 12 + 4 * cases);
      }
      case Opcodes.LOOKUPSWITCH -> {
        long pairs = reader.readInt(operands + 4);
        return pairs < 0 || pairs > MAX_CODE ? 0 : (int) (operands - at + 8 + 8 * pairs);
      }
      case WIDE -> {
        return reader.readByte(at + 1) == Opcodes.IINC ? 6 : 4;
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
    return size(reader, code, at, reader.readByte(at) & 0xFF);
  }

  /** Where the class file's {@code methods_count} is: past its interfaces and fields. */
  public static int methodTable(ClassReader reader) {
    return methods(reader);
  }

  /** A method's {@code max_locals} and code length in bytes. */
  public record Code(int maxLocals, int length) {}

  /** Where the class file's method count is: past its interfaces and fields. */
  private static int methods(ClassReader reader) {
    int offset = reader.header + 6;
    offset += 2 + 2 * reader.readUnsignedShort(offset); // interfaces
    int fields = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < fields; i++) {
      offset = skipMember(reader, offset);
    }
    return offset;
  }

  private static int skipMember(ClassReader reader, int offset) {
    int attributes = reader.readUnsignedShort(offset + 6);
    offset += 8;
    for (int a = 0; a < attributes; a++) {
      offset += 6 + reader.readInt(offset + 2);
    }
    return offset;
  }
}
