package dev.lockguard.agent.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Reads a class file through a class loader's resources, without loading the class: what the
 * type lookups ({@link TypeHierarchy}), the getter reader ({@link Getters}) and the class-init
 * rewriter's lazy reads need of classes other than the one being transformed.
 */
public final class ClassFiles {
  /** Asks the boot loader alone: a loader with no parent and no class path of its own. */
  private static final ClassLoader BOOT = new URLClassLoader(new URL[0], null);

  private ClassFiles() {}

  /**
   * The bytes of {@code internalName}'s class file as {@code loader} (null: the boot loader) finds
   * it, or null when it finds none or it cannot be read.
   */
  public static byte[] read(ClassLoader loader, String internalName) {
    ClassLoader from = loader == null ? BOOT : loader;
    try (InputStream in = from.getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null; // a loader whose resources fail is a loader we cannot read: the callers say so
    }
  }
}
