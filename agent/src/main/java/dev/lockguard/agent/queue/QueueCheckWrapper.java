package dev.lockguard.agent.queue;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;

/**
 * Plugs the queue check into byte-buddy's class writing: see {@link QueueCheckClassVisitor}.
 *
 * <p>Max stack and locals are recomputed, because hooks push a copy of the queue and a site id and
 * an act keeps its queue in one new local. Frames are neither recomputed nor changed.
 */
public final class QueueCheckWrapper implements AsmVisitorWrapper {
  @Override
  public int mergeWriter(int flags) {
    return flags | ClassWriter.COMPUTE_MAXS;
  }

  @Override
  public int mergeReader(int flags) {
    return flags;
  }

  @Override
  public ClassVisitor wrap(
      TypeDescription instrumentedType,
      ClassVisitor classVisitor,
      Implementation.Context implementationContext,
      TypePool typePool,
      FieldList<FieldDescription.InDefinedShape> fields,
      MethodList<?> methods,
      int writerFlags,
      int readerFlags) {
    return new QueueCheckClassVisitor(classVisitor, typePool);
  }
}
