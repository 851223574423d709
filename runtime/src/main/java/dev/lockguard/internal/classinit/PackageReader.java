package dev.lockguard.internal.classinit;

import java.util.Set;

/**
 * Reads a class's package from where its loader finds it, for the agent: the runtime has no
 * bytecode reader of its own.
 */
public interface PackageReader {
  /**
   * The binary name of a class in {@code className}'s runtime package whose code can start
   * {@code className}'s initialization ({@code new}, a static field, a static method of it, a
   * method reference to one, or a subclass that can itself be started), not counting the code
   * of {@code notCounted} and of their subclasses, which cannot run before those classes'
   * initialization finished; "" when there is none; null when the package cannot be read.
   */
  String starterOf(String className, Set<String> notCounted);
}
