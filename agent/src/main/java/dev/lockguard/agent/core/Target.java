package dev.lockguard.agent.core;

import org.objectweb.asm.ClassReader;

/** The class being transformed, as rewriters see it. */
public final class Target {
  /**
   * True when the class is being loaded, false when an already loaded class is retransformed:
   * only at load time may a method lose its {@code synchronized} modifier.
   */
  public final boolean loadTime;
  public final TypeHierarchy hierarchy;
  /** What the no-argument methods the class calls return, read on demand. */
  public final Getters getters;
  /** The class file, for a rewriter that skips a class by a look at its constant pool. */
  public final ClassReader reader;
  /**
   * Whether the class is read with expanded frames: a rewriter that adds a frame writes it as
   * {@link org.objectweb.asm.Opcodes#F_NEW} if so, and compressed otherwise (ASM takes one form
   * per method, never both).
   */
  public final boolean expandedFrames;
  private boolean changed;

  /** The class {@code reader} reads, defined by {@code loader} (null for the bootstrap loader). */
  Target(ClassReader reader, ClassLoader loader, boolean loadTime, boolean expandedFrames) {
    this.reader = reader;
    this.loadTime = loadTime;
    this.expandedFrames = expandedFrames;
    this.hierarchy = new TypeHierarchy(loader);
    this.getters = new Getters(loader, reader);
  }

  /**
   * A class read for what its headers say, outside the transformer's pass ({@link
   * ClassRewriter#notParsed}): nothing is written back, and no type is resolved.
   */
  public static Target headersOnly(ClassReader reader, boolean loadTime) {
    return new Target(reader, null, loadTime, false);
  }

  /** A rewriter rewrote a site: the class must be written back. */
  public void changed() {
    changed = true;
  }

  public boolean isChanged() {
    return changed;
  }
}
