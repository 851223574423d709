package dev.lockguard.agent.loader;

import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Gives every class loader defined outside the JDK the boot-first rule of {@link BootDelegation}
 * as its class is loaded (or retransformed, for an agent attached late), whatever the
 * {@code include}/{@code exclude} options say: they choose whose locks are watched, while this
 * only decides whether watched code can link its hooks.
 *
 * <p>It never looks anything up: it reads the class file it is given, so it cannot call into the
 * loader that is defining the class. Each outcome goes to {@link ReachableLoaders}.
 */
public final class LoaderTransformer implements ClassFileTransformer {
  private static final byte[] LOAD_CLASS = "loadClass".getBytes(StandardCharsets.US_ASCII);

  private final ReachableLoaders loaders;

  public LoaderTransformer(ReachableLoaders loaders) {
    this.loaders = loaders;
  }

  /** Whether a class loaded before the agent must be retransformed to get the rule. */
  public static boolean wants(Class<?> type) {
    return ClassLoader.class.isAssignableFrom(type)
        && !ReachableLoaders.isJdk(type.getClassLoader())
        && !type.getName().startsWith("dev.lockguard.");
  }

  @Override
  public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
      ProtectionDomain domain, byte[] classfile) {
    if (internalName == null || ReachableLoaders.isJdk(loader)
        || internalName.startsWith("dev/lockguard/") || !contains(classfile, LOAD_CLASS)) {
      return null; // most classes stop at the byte search: no constant names loadClass
    }
    String className = internalName.replace('/', '.');
    try {
      byte[] rewritten = rewrite(classfile);
      if (rewritten != null) {
        loaders.rewritten(className);
      }
      return rewritten;
    } catch (Throwable failure) {
      loaders.failed(className, failure);
      return null;
    }
  }

  /** The class with its {@code loadClass} methods rewritten, or null when it declares none. */
  static byte[] rewrite(byte[] classfile) {
    ClassReader reader = new ClassReader(classfile);
    if ((reader.getAccess() & Opcodes.ACC_INTERFACE) != 0
        || "java/lang/Object".equals(reader.getSuperName())) {
      return null; // neither can be a class loader
    }
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    BootDelegation delegation = new BootDelegation(writer);
    reader.accept(delegation, ClassReader.EXPAND_FRAMES);
    return delegation.isChanged() ? writer.toByteArray() : null;
  }

  private static boolean contains(byte[] bytes, byte[] word) {
    byte first = word[0];
    int last = bytes.length - word.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      for (int j = 1; j < word.length; j++) {
        if (bytes[i + j] != word[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
