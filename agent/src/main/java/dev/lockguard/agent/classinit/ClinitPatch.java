package dev.lockguard.agent.classinit;

import dev.lockguard.agent.core.ClassScan;
import java.util.Arrays;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * The class-initialization hooks of {@link ClinitHooks} without its locks, put around a {@code
 * <clinit>} by patching the class file's bytes instead of reading and writing the class with
 * ASM: {@code ClassInitHooks.enter(id)} first, {@code exit(id)} before each {@code return}, and a
 * catch-all handler at the end that calls {@code exit(id)} and rethrows. Every byte of the class
 * but the initializer's {@code Code} attribute is copied as it is, and the constant pool gains
 * the entries the hooks name at its end, so no index moves.
 *
 * <p>Each inserted sequence is a multiple of 4 bytes long (padded with {@code nop}), so the
 * padding of a {@code tableswitch} or {@code lookupswitch} does not move: old offset {@code o}
 * becomes {@code o + prefix + k * exit}, {@code k} being the number of returns before {@code o},
 * and a jump to a {@code return} lands on its {@code exit} call. Branches, switches, the
 * exception table, the frames ({@code Uninitialized} types included), the line numbers and the
 * local variable tables are moved by that map.
 *
 * <p>{@link #patch} returns null, for the caller to rewrite the class with ASM instead, when the
 * code is anything it does not handle: a 16-bit branch the hooks would push out of range, code
 * past 65,535 bytes, {@code jsr} or {@code ret}, a {@code Code} attribute it does not know (type
 * annotations included), or a constant pool that would outgrow 65,535 entries.
 */
final class ClinitPatch {
  private static final int MAX = 65535;
  private static final int UTF8 = 1;
  private static final int INTEGER = 3;
  private static final int CLASS = 7;
  private static final int METHODREF = 10;
  private static final int NAME_AND_TYPE = 12;
  private static final int GOTO_W = 0xC8;
  private static final int JSR_W = 0xC9;
  private static final int WIDE = 0xC4;
  private static final int LDC_W = 0x13;
  private static final int FULL_FRAME = 255;
  private static final int SAME_FRAME_EXTENDED = 251;
  private static final int SAME_LOCALS_1_EXTENDED = 247;
  private static final int UNINITIALIZED = 8;

  private final byte[] classfile;
  private final ClassReader reader;
  private final int id;
  /** The bytes that push the id: an {@code iconst}, {@code bipush}, {@code sipush} or {@code ldc_w}. */
  private int pushLength;
  /** The length of the enter sequence, and what each return grows by: a multiple of 4. */
  private int step;
  /** The original offsets of the initializer's returns, ascending. */
  private int[] returns = new int[8];
  private int returnCount;
  /** The constant pool indexes the hooks use. */
  private int enterRef;
  private int exitRef;
  private int idConstant;
  private int throwableClass;
  private int stackMapName;

  private ClinitPatch(byte[] classfile, ClassReader reader, int id) {
    this.classfile = classfile;
    this.reader = reader;
    this.id = id;
  }

  /**
   * {@code classfile} with the hooks of class {@code id} around its {@code <clinit>}, or null when
   * the class has none or its initializer is one this patch does not handle.
   *
   * @param reader a reader of {@code classfile}, which starts at offset 0
   * @param code the offset of the initializer's {@code Code} attribute, as {@link
   *     InitDescription#initializerCode} found it, or -1 when there is none
   */
  static byte[] patch(byte[] classfile, ClassReader reader, int code, int id) {
    return code < 0 ? null : new ClinitPatch(classfile, reader, id).patch(code);
  }

  private byte[] patch(int code) {
    char[] buffer = new char[reader.getMaxStringLength()];
    int codeLength = reader.readInt(code + 10);
    int start = code + 14;
    if (!findReturns(start, codeLength)) {
      return null;
    }
    pushLength = id >= -1 && id <= 5 ? 1 : id >= Byte.MIN_VALUE && id <= Byte.MAX_VALUE ? 2 : 3;
    step = (pushLength + 3 + 3) & ~3;
    int handler = map(codeLength);
    int newLength = handler + pushLength + 4;
    if (newLength > MAX) {
      return null;
    }
    Bytes pool = constants(buffer, code, start + codeLength);
    if (pool == null) {
      return null;
    }
    Bytes attribute = new Bytes(newLength + 64);
    if (!code(attribute, code, start, codeLength, handler, buffer)) {
      return null;
    }
    int end = code + 6 + reader.readInt(code + 2);
    // Sized exactly, so that toArray hands the buffer over instead of copying the class again.
    Bytes out = new Bytes(classfile.length + pool.length + attribute.length - (end - code));
    out.copy(classfile, 0, 8);
    out.u2(reader.getItemCount() + pool.count);
    out.copy(classfile, 10, reader.header - 10);
    out.copy(pool.bytes, 0, pool.length);
    out.copy(classfile, reader.header, code - reader.header);
    out.copy(attribute.bytes, 0, attribute.length);
    out.copy(classfile, end, classfile.length - end);
    return out.toArray();
  }

  /** Collects the returns; false if the code holds {@code jsr}, {@code ret} or no instruction. */
  private boolean findReturns(int start, int length) {
    int end = start + length;
    for (int at = start; at < end; ) {
      int opcode = reader.readByte(at);
      if (opcode == Opcodes.JSR || opcode == Opcodes.RET || opcode == JSR_W
          || opcode == WIDE && reader.readByte(at + 1) == Opcodes.RET) {
        return false;
      }
      if (opcode == Opcodes.RETURN) {
        if (returnCount == returns.length) {
          returns = Arrays.copyOf(returns, returnCount * 2);
        }
        returns[returnCount++] = at - start;
      }
      int size = ClassScan.instructionLength(reader, start, at);
      if (size <= 0 || size > end - at) {
        return false;
      }
      at += size;
    }
    return true;
  }

  /**
   * Where original offset {@code offset} is in the patched code: past the enter sequence and the
   * exit sequences of the returns before it (a return's own offset is its exit sequence's).
   */
  private int map(int offset) {
    int low = 0;
    int high = returnCount;
    while (low < high) { // the number of returns before offset
      int middle = (low + high) >>> 1;
      if (returns[middle] < offset) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return offset + step + low * step;
  }

  /** The constant pool entries to append, or null if the pool would outgrow its limit. */
  private Bytes constants(char[] buffer, int code, int codeEnd) {
    Bytes pool = new Bytes(128);
    int next = reader.getItemCount();
    pool.utf8(ClinitHooks.HOOKS);
    int hooks = next + 1;
    pool.u1(CLASS).u2(next);
    pool.utf8("enter").utf8("exit").utf8("(I)V");
    pool.u1(NAME_AND_TYPE).u2(next + 2).u2(next + 4);
    pool.u1(NAME_AND_TYPE).u2(next + 3).u2(next + 4);
    pool.u1(METHODREF).u2(hooks).u2(next + 5);
    pool.u1(METHODREF).u2(hooks).u2(next + 6);
    enterRef = next + 7;
    exitRef = next + 8;
    next += 9;
    if (id < Short.MIN_VALUE || id > Short.MAX_VALUE) {
      pool.u1(INTEGER).u4(id);
      idConstant = next++;
    }
    if (reader.readUnsignedShort(6) >= Opcodes.V1_6) {
      pool.utf8("java/lang/Throwable");
      pool.u1(CLASS).u2(next);
      throwableClass = next + 1;
      next += 2;
      stackMapName = existingStackMapName(buffer, code, codeEnd);
      if (stackMapName == 0) {
        pool.utf8("StackMapTable");
        stackMapName = next++;
      }
    }
    pool.count = next - reader.getItemCount();
    return next > MAX ? null : pool;
  }

  /**
   * The index of the Utf8 "StackMapTable" that names the initializer's own table, or 0 if it has
   * none. The pool is not searched for another one: most initializers are straight-line code
   * without a table, and scanning every constant of their class for the name cost more than the
   * duplicate Utf8 (legal, 16 bytes) that is appended instead.
   */
  private int existingStackMapName(char[] buffer, int code, int codeEnd) {
    int offset = codeEnd + 2 + 8 * reader.readUnsignedShort(codeEnd);
    int attributes = reader.readUnsignedShort(offset);
    offset += 2;
    for (int a = 0; a < attributes; a++) {
      if ("StackMapTable".equals(reader.readUTF8(offset, buffer))) {
        return reader.readUnsignedShort(offset);
      }
      offset += 6 + reader.readInt(offset + 2);
    }
    return 0;
  }

  /** Writes the patched {@code Code} attribute; false if a branch or an attribute defeats it. */
  private boolean code(Bytes out, int code, int start, int codeLength, int handler,
      char[] buffer) {
    out.u2(reader.readUnsignedShort(code));
    int lengthAt = out.length;
    out.u4(0);
    out.u2(Math.max(reader.readUnsignedShort(code + 6) + 1, 2));
    out.u2(reader.readUnsignedShort(code + 8));
    out.u4(handler + pushLength + 4);
    int codeStart = out.length;
    hook(out, enterRef);                                  // ClassInitHooks.enter(id);
    out.nops(step - pushLength - 3);
    int end = start + codeLength;
    for (int at = start; at < end; ) {
      int size = ClassScan.instructionLength(reader, start, at);
      if (!instruction(out, codeStart, start, at, size)) {
        return false;
      }
      at += size;
    }
    hook(out, exitRef);                                   // Stack[1]: Throwable
    out.u1(Opcodes.ATHROW);                               // exit(id); throw t;
    int table = end;
    int entries = reader.readUnsignedShort(table);
    out.u2(entries + 1);
    for (int i = 0; i < entries; i++) {
      int entry = table + 2 + 8 * i;
      out.u2(map(reader.readUnsignedShort(entry)));
      out.u2(map(reader.readUnsignedShort(entry + 2)));
      out.u2(map(reader.readUnsignedShort(entry + 4)));
      out.u2(reader.readUnsignedShort(entry + 6));
    }
    out.u2(step).u2(handler).u2(handler).u2(0);           // the catch-all, last
    if (!attributes(out, table + 2 + 8 * entries, codeLength, handler, buffer)) {
      return false;
    }
    out.set4(lengthAt, out.length - lengthAt - 4);
    return true;
  }

  /** Copies one instruction, moving its branch offsets; false if a branch falls out of range. */
  private boolean instruction(Bytes out, int codeStart, int start, int at, int size) {
    int opcode = reader.readByte(at);
    int offset = at - start;
    int moved = out.length - codeStart;
    if (opcode == Opcodes.RETURN) {
      hook(out, exitRef);                                 // ClassInitHooks.exit(id); return;
      out.nops(step - pushLength - 3);
      out.u1(Opcodes.RETURN);
      return true;
    }
    out.copy(classfile, at, size);
    if (opcode >= Opcodes.IFEQ && opcode <= Opcodes.GOTO
        || opcode == Opcodes.IFNULL || opcode == Opcodes.IFNONNULL) {
      int jump = map(offset + reader.readShort(at + 1)) - moved;
      if (jump != (short) jump) {
        return false;
      }
      out.set2(out.length - 2, jump);
    } else if (opcode == GOTO_W) {
      out.set4(out.length - 4, map(offset + reader.readInt(at + 1)) - moved);
    } else if (opcode == Opcodes.TABLESWITCH || opcode == Opcodes.LOOKUPSWITCH) {
      int operands = at + 1 + (-(offset + 1) & 3);
      int copied = out.length - size + (operands - at); // the same padding: moved % 4 == offset % 4
      out.set4(copied, map(offset + reader.readInt(operands)) - moved);
      if (opcode == Opcodes.TABLESWITCH) {
        int cases = reader.readInt(operands + 8) - reader.readInt(operands + 4) + 1;
        for (int i = 0; i < cases; i++) {
          int jump = operands + 12 + 4 * i;
          out.set4(copied + 12 + 4 * i, map(offset + reader.readInt(jump)) - moved);
        }
      } else {
        int pairs = reader.readInt(operands + 4);
        for (int i = 0; i < pairs; i++) {
          int jump = operands + 12 + 8 * i;
          out.set4(copied + 12 + 8 * i, map(offset + reader.readInt(jump)) - moved);
        }
      }
    }
    return true;
  }

  /** {@code ClassInitHooks.enter(id)} or {@code exit(id)}: Stack[+0]. */
  private void hook(Bytes out, int method) {
    if (pushLength == 1) {
      out.u1(Opcodes.ICONST_0 + id);                      // Stack[+1]: I
    } else if (pushLength == 2) {
      out.u1(Opcodes.BIPUSH).u1(id);
    } else if (idConstant == 0) {
      out.u1(Opcodes.SIPUSH).u2(id);
    } else {
      out.u1(LDC_W).u2(idConstant);
    }
    out.u1(Opcodes.INVOKESTATIC).u2(method);              // Stack[+0]
  }

  /** Copies the code's attributes, moved; false if one of them is not known here. */
  private boolean attributes(Bytes out, int offset, int codeLength, int handler,
      char[] buffer) {
    int count = reader.readUnsignedShort(offset);
    offset += 2;
    int countAt = out.length;
    out.u2(count);
    boolean frames = false;
    for (int a = 0; a < count; a++) {
      String name = reader.readUTF8(offset, buffer);
      int length = reader.readInt(offset + 2);
      int body = offset + 6;
      int startAt = out.length;
      out.copy(classfile, offset, 6 + length);
      switch (name) {
        case "LineNumberTable" -> {
          for (int i = 0; i < reader.readUnsignedShort(body); i++) {
            out.set2(startAt + 8 + 4 * i, map(reader.readUnsignedShort(body + 2 + 4 * i)));
          }
        }
        case "LocalVariableTable", "LocalVariableTypeTable" -> {
          for (int i = 0; i < reader.readUnsignedShort(body); i++) {
            int entry = body + 2 + 10 * i;
            int from = reader.readUnsignedShort(entry);
            int to = from + reader.readUnsignedShort(entry + 2);
            out.set2(startAt + 8 + 10 * i, map(from));
            out.set2(startAt + 10 + 10 * i, map(to) - map(from));
          }
        }
        case "StackMapTable" -> {
          if (frames || throwableClass == 0) {
            return false;
          }
          frames = true;
          out.length = startAt;
          if (!frames(out, offset, body, codeLength, handler)) {
            return false;
          }
        }
        default -> {
          return false;
        }
      }
      offset = body + length;
    }
    if (!frames && throwableClass != 0) {
      out.set2(countAt, count + 1);
      out.u2(stackMapName).u4(12).u2(1); // one full frame of 10 bytes
      handlerFrame(out, handler);
    }
    return true;
  }

  /** Writes the StackMapTable at {@code offset}, moved, with the handler's frame appended. */
  private boolean frames(Bytes out, int offset, int body, int codeLength, int handler) {
    out.u2(reader.readUnsignedShort(offset));
    int lengthAt = out.length;
    out.u4(0);
    int count = reader.readUnsignedShort(body);
    out.u2(count + 1);
    int at = body + 2;
    int previous = -1;
    int previousMoved = -1;
    for (int i = 0; i < count; i++) {
      int type = reader.readByte(at++);
      int delta;
      if (type < 128) {
        delta = type & 63;
      } else if (type < SAME_LOCALS_1_EXTENDED) {
        return false; // reserved
      } else {
        delta = reader.readUnsignedShort(at);
        at += 2;
      }
      int frame = previous + delta + 1;
      if (frame >= codeLength) {
        return false;
      }
      int moved = map(frame);
      int movedDelta = moved - previousMoved - 1;
      previous = frame;
      previousMoved = moved;
      if (type < 64 || type == SAME_FRAME_EXTENDED) {
        if (movedDelta < 64) {
          out.u1(movedDelta);
        } else {
          out.u1(SAME_FRAME_EXTENDED).u2(movedDelta);
        }
      } else if (type < 128 || type == SAME_LOCALS_1_EXTENDED) {
        if (movedDelta < 64) {
          out.u1(64 + movedDelta);
        } else {
          out.u1(SAME_LOCALS_1_EXTENDED).u2(movedDelta);
        }
        at = type(out, at);
      } else if (type < SAME_FRAME_EXTENDED) {
        out.u1(type).u2(movedDelta); // chop
      } else if (type < FULL_FRAME) {
        out.u1(type).u2(movedDelta); // append
        for (int t = 0; t < type - SAME_FRAME_EXTENDED && at >= 0; t++) {
          at = type(out, at);
        }
      } else {
        out.u1(type).u2(movedDelta);
        for (int part = 0; part < 2 && at >= 0; part++) { // locals, then stack
          int types = reader.readUnsignedShort(at);
          out.u2(types);
          at += 2;
          for (int t = 0; t < types && at >= 0; t++) {
            at = type(out, at);
          }
        }
      }
      if (at < 0) {
        return false;
      }
    }
    int handlerDelta = handler - previousMoved - 1;
    handlerFrame(out, handlerDelta);
    out.set4(lengthAt, out.length - lengthAt - 4);
    return true;
  }

  /**
   * Copies the verification type at {@code at}, moving an {@code Uninitialized} one's offset;
   * returns where the next one starts, or -1 if the type is not one the format knows.
   */
  private int type(Bytes out, int at) {
    int tag = reader.readByte(at);
    if (tag < CLASS) {
      out.u1(tag);
      return at + 1;
    } else if (tag == CLASS) {
      out.u1(tag).u2(reader.readUnsignedShort(at + 1));
    } else if (tag == UNINITIALIZED) {
      out.u1(tag).u2(map(reader.readUnsignedShort(at + 1)));
    } else {
      return -1;
    }
    return at + 3;
  }

  /** The handler's frame: no locals (a {@code <clinit>} has no arguments), a Throwable. */
  private void handlerFrame(Bytes out, int delta) {
    out.u1(FULL_FRAME).u2(delta).u2(0).u2(1).u1(CLASS).u2(throwableClass);
  }

  /** A growing byte array, big-endian as class files are. */
  private static final class Bytes {
    byte[] bytes;
    int length;
    /** The constant pool entries written, for the pool's buffer. */
    int count;

    Bytes(int capacity) {
      bytes = new byte[capacity];
    }

    Bytes u1(int value) {
      room(1);
      bytes[length++] = (byte) value;
      return this;
    }

    Bytes u2(int value) {
      room(2);
      set2(length, value);
      length += 2;
      return this;
    }

    Bytes u4(int value) {
      room(4);
      set4(length, value);
      length += 4;
      return this;
    }

    Bytes utf8(String ascii) {
      u1(UTF8).u2(ascii.length());
      for (int i = 0; i < ascii.length(); i++) {
        u1(ascii.charAt(i));
      }
      return this;
    }

    void nops(int count) {
      for (int i = 0; i < count; i++) {
        u1(Opcodes.NOP);
      }
    }

    void copy(byte[] from, int offset, int count) {
      room(count);
      System.arraycopy(from, offset, bytes, length, count);
      length += count;
    }

    void set2(int at, int value) {
      bytes[at] = (byte) (value >>> 8);
      bytes[at + 1] = (byte) value;
    }

    void set4(int at, int value) {
      set2(at, value >>> 16);
      set2(at + 2, value);
    }

    byte[] toArray() {
      return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }

    private void room(int count) {
      if (length + count > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
      }
    }
  }
}
