package dev.lockguard.agent.queue;

import dev.lockguard.agent.core.ClassScan;
import dev.lockguard.internal.queue.QueueOp;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;

/**
 * A look at a class's constant pool before the queue check buffers its methods: a class can hold
 * a pair only if it calls some check and some act on a JDK queue type or a non-JDK type. Most
 * classes fail that test, and then cost the queue check nothing more than this scan. Owners and
 * names are compared as bytes; a string is made only for a reference that passes both.
 */
final class QueueConstantPool {
  /** Every queue operation's method name (the timed polls and offers share theirs). */
  private static final ClassScan.Names OP_NAMES = opNames();

  private QueueConstantPool() {}

  /** A loop, not a stream: this runs in premain, where a stream costs start-up its classes. */
  private static ClassScan.Names opNames() {
    List<String> names = new ArrayList<>();
    for (QueueOp op : QueueOp.values()) {
      if (op != QueueOp.TIMED) {
        names.add(op.methodName);
      }
    }
    return ClassScan.Names.of(names);
  }

  /** Whether the class's method references include both a check and an act on a possible queue. */
  static boolean mayHavePairs(ClassReader reader) {
    boolean check = false;
    boolean act = false;
    char[] buffer = null;
    for (int item = next(reader, 1); item > 0 && !(check && act); item = next(reader, item + 1)) {
      buffer = buffer != null ? buffer : new char[reader.getMaxStringLength()];
      QueueOp op = opOf(reader, item, buffer);
      check |= op != null && op.kind == QueueOp.Kind.CHECK;
      act |= op != null && op.isAct();
    }
    return check && act;
  }

  /**
   * By constant-pool index: the method references that are queue operations on a possible queue,
   * the only calls {@link QueuePairFinder} counts or pairs ({@link ClassScan#methodsCalling}).
   */
  static boolean[] queueCalls(ClassReader reader) {
    boolean[] calls = new boolean[reader.getItemCount()];
    char[] buffer = new char[reader.getMaxStringLength()];
    for (int item = next(reader, 1); item > 0; item = next(reader, item + 1)) {
      calls[item] = opOf(reader, item, buffer) != null;
    }
    return calls;
  }

  /** The next method reference from {@code item} on with a possible queue owner and an op's name. */
  private static int next(ClassReader reader, int item) {
    return ClassScan.nextMethodRef(reader, item, QueueTypes::mayBeQueue, OP_NAMES);
  }

  /** The op of the method reference at constant-pool index {@code item}, or null. */
  private static QueueOp opOf(ClassReader reader, int item, char[] buffer) {
    int nameAndType = reader.getItem(reader.readUnsignedShort(reader.getItem(item) + 2));
    return QueueOp.of(reader.readUTF8(nameAndType, buffer),
        reader.readUTF8(nameAndType + 2, buffer));
  }
}
