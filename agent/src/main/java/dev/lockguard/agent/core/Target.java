package dev.lockguard.agent.core;

import org.objectweb.asm.ClassReader;

/** The class being transformed, as rewriters see it. */
public final class Target {
  public final String className;
  public final ClassLoader loader;
  /**
   * True when the class is being loaded, false when an already loaded class is retransformed:
   * only at load time may a method lose its {@code synchronized} modifier.
   */
  public final boolean loadTime;
  public final TypeHierarchy hierarchy;
  /** The class file, for a rewriter that skips a class by a look at its constant pool. */
  public final ClassReader reader;
  private boolean changed;

  Target(String className, ClassLoader loader, boolean loadTime, TypeHierarchy hierarchy,
      ClassReader reader) {
    this.reader = reader;
    this.className = className;
    this.loader = loader;
    this.loadTime = loadTime;
    this.hierarchy = hierarchy;
  }

  /** A rewriter rewrote a site: the class must be written back. */
  public void changed() {
    changed = true;
  }

  public boolean isChanged() {
    return changed;
  }
}
