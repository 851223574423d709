package dev.lockguard.internal.classinit;

import java.util.Set;

/**
 * Reads a class's package, or its own class file, from where its loader finds it, for the agent:
 * the runtime has no bytecode reader of its own.
 */
public interface PackageReader {
  /**
   * Whether only code of {@code className}'s package can start its initialization ({@link
   * ClassInits#PACKAGE_ENTRY}), read from its class file; null when no class file of a loaded
   * class of that name can be read (the default: a reader of packages alone, whose classes
   * declared unread then count as entries).
   */
  default Boolean packageOnly(String className) {
    return null;
  }

  /**
   * The binary name of a class in {@code className}'s runtime package whose code can start
   * {@code className}'s initialization ({@code new}, a static field, a static method of it, a
   * method reference to one, or a subclass that can itself be started), not counting the code
   * of {@code notCounted} and of their subclasses, which cannot run before those classes'
   * initialization finished; "" when there is none; null when the package cannot be read.
   */
  String starterOf(String className, Set<String> notCounted);
}
