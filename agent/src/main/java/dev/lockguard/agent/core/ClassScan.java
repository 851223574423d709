package dev.lockguard.agent.core;

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
  private static final int NAME_AND_TYPE = 12;
  private static final int MONITORENTER = 0xC2;

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

  /**
   * Whether a class the class refers to, or the descriptor of a method or field it refers to,
   * contains one of {@code typeNames} (internal names).
   */
  public static boolean mentionsType(ClassReader reader, Iterable<String> typeNames) {
    char[] buffer = new char[reader.getMaxStringLength()];
    for (int item = 1; item < reader.getItemCount(); item++) {
      int offset = reader.getItem(item);
      if (offset == 0) {
        continue;
      }
      int tag = reader.readByte(offset - 1);
      String text = tag == CLASS ? reader.readUTF8(offset, buffer)
          : tag == NAME_AND_TYPE ? reader.readUTF8(offset + 2, buffer) : null;
      if (text != null) {
        for (String typeName : typeNames) {
          if (text.contains(typeName)) {
            return true;
          }
        }
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
   * The {@code max_locals} and code length of every method with code, keyed by name and
   * descriptor ({@code run()V}), from the method headers (no code read).
   */
  public static Map<String, Code> codes(ClassReader reader) {
    char[] buffer = new char[reader.getMaxStringLength()];
    Map<String, Code> codes = new HashMap<>();
    int offset = methods(reader);
    int methods = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      String method = reader.readUTF8(offset + 2, buffer) + reader.readUTF8(offset + 4, buffer);
      int attributes = reader.readUnsignedShort(offset + 6);
      offset += 8;
      for (int a = 0; a < attributes; a++) {
        if ("Code".equals(reader.readUTF8(offset, buffer))) {
          codes.put(method, new Code(reader.readUnsignedShort(offset + 8),
              reader.readInt(offset + 10)));
        }
        offset += 6 + reader.readInt(offset + 2);
      }
    }
    return codes;
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
