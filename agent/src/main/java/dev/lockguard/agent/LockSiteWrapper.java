package dev.lockguard.agent;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;

/**
 * Plugs {@link LockSiteClassVisitor} into byte-buddy's class writing.
 *
 * <p>Frames are read expanded so that the one frame we add (a synchronized method's catch-all
 * handler) can be written in full; max stack is recomputed because hooks push the lock and a site
 * id. Frames are not recomputed: that would load classes from inside a transformer.
 */
final class LockSiteWrapper implements AsmVisitorWrapper {
  private final boolean loadTime;

  LockSiteWrapper(boolean loadTime) {
    this.loadTime = loadTime;
  }
  @Override
  public int mergeWriter(int flags) {
    return flags | ClassWriter.COMPUTE_MAXS;
  }

  @Override
  public int mergeReader(int flags) {
    return flags | ClassReader.EXPAND_FRAMES;
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
    return new LockSiteClassVisitor(classVisitor, typePool, loadTime);
  }
}
