package dev.lockguard.agent.queue;

import dev.lockguard.internal.queue.QueueOp;
import org.objectweb.asm.ClassReader;

/**
 * A look at a class's constant pool before the queue check buffers its methods: a class can hold
 * a pair only if it calls some check and some act on a JDK queue type or a non-JDK type. Most
 * classes fail that test, and then cost the queue check nothing more than this scan.
 */
final class QueueConstantPool {
  private static final int METHODREF = 10;
  private static final int INTERFACE_METHODREF = 11;

  private QueueConstantPool() {}

  /** Whether the class's method references include both a check and an act on a possible queue. */
  static boolean mayHavePairs(ClassReader reader) {
    char[] buffer = new char[reader.getMaxStringLength()];
    boolean check = false;
    boolean act = false;
    for (int item = 1; item < reader.getItemCount() && !(check && act); item++) {
      int offset = reader.getItem(item);
      if (offset == 0) {
        continue; // the second slot of a long or double
      }
      int tag = reader.readByte(offset - 1);
      if (tag == METHODREF || tag == INTERFACE_METHODREF) {
        QueueOp op = queueCall(reader, offset, buffer);
        check |= op != null && op.kind == QueueOp.Kind.CHECK;
        act |= op != null && op.isAct();
      }
    }
    return check && act;
  }

  /**
   * The op of the method reference at {@code offset} if its owner may be a queue, else null. The
   * owner is looked at first: most references are to JDK types that are no queue ({@code String},
   * {@code StringBuilder}, {@code List}), which then cost no op lookup.
   */
  private static QueueOp queueCall(ClassReader reader, int offset, char[] buffer) {
    if (!QueueTypes.mayBeQueue(reader.readClass(offset, buffer))) {
      return null;
    }
    int nameAndType = reader.getItem(reader.readUnsignedShort(offset + 2));
    return QueueOp.of(reader.readUTF8(nameAndType, buffer),
        reader.readUTF8(nameAndType + 2, buffer));
  }
}
