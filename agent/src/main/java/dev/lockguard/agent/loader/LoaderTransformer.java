package dev.lockguard.agent.loader;

import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Arrays;
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
  private static final int UTF8 = 1;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;
  /** By constant tag: its size in bytes after the tag; -1 for Utf8 (sized by itself), 0 unknown. */
  private static final int[] CONSTANT_SIZES = new int[21];

  static {
    CONSTANT_SIZES[UTF8] = -1;
    for (int tag : new int[] {7, 8, 16, 19, 20}) { // class, string, method type, module, package
      CONSTANT_SIZES[tag] = 2;
    }
    CONSTANT_SIZES[15] = 3; // method handle
    for (int tag : new int[] {3, 4, 9, 10, 11, 12, 17, 18}) { // int, float, refs, name and type,
      CONSTANT_SIZES[tag] = 4; //                                dynamic, invokedynamic
    }
    CONSTANT_SIZES[LONG] = 8;
    CONSTANT_SIZES[DOUBLE] = 8;
  }

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
        || internalName.startsWith("dev/lockguard/") || !mayDeclareLoadClass(classfile)) {
      return null; // most classes stop here: no method named loadClass, or no class that has one
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

  /**
   * Whether the class file may declare a method named {@code loadClass}, read in place without
   * parsing it: its constant pool must hold that name, and the class must be neither an interface
   * nor the name a mere reference (a call of another loader's {@code loadClass}, a string): some
   * method header must be named by it. A class file this cannot follow says true, and {@link
   * #rewrite} decides.
   */
  static boolean mayDeclareLoadClass(byte[] classfile) {
    try {
      int count = u2(classfile, 8);
      int name = 0; // the constant-pool index of the Utf8 loadClass
      boolean twice = false; // a second such entry (legal, if odd): any method header may be it
      int offset = 10;
      for (int item = 1; item < count; item++) {
        int tag = classfile[offset];
        int size = tag > 0 && tag < CONSTANT_SIZES.length ? CONSTANT_SIZES[tag] : 0;
        if (size == 0) {
          return true; // a constant this JDK's class files do not have: let ASM read it
        }
        if (size < 0) {
          int length = u2(classfile, offset + 1);
          if (length == LOAD_CLASS.length && Arrays.equals(LOAD_CLASS, 0, length, classfile,
              offset + 3, offset + 3 + length)) {
            twice |= name != 0;
            name = item;
          }
          size = 2 + length;
        } else if (tag == LONG || tag == DOUBLE) {
          item++; // they take two slots
        }
        offset += 1 + size;
      }
      if (name == 0 || (u2(classfile, offset) & Opcodes.ACC_INTERFACE) != 0) {
        return false;
      }
      offset += 6; // access, this class, superclass
      offset += 2 + 2 * u2(classfile, offset); // interfaces
      int fields = u2(classfile, offset);
      offset += 2;
      for (int i = 0; i < fields; i++) {
        offset = skipMember(classfile, offset);
      }
      int methods = u2(classfile, offset);
      offset += 2;
      for (int i = 0; i < methods; i++) {
        if (twice || u2(classfile, offset + 2) == name) {
          return true;
        }
        offset = skipMember(classfile, offset);
      }
      return false;
    } catch (IndexOutOfBoundsException truncated) {
      return true; // let ASM say what is wrong with it
    }
  }

  // Its own class-file readers, not ClassScan's: this transformer runs from the moment it is
  // installed, while the agent's own classes are still being loaded. Calling ClassScan from here
  // made the agent fail at start-up behind JaCoCo's agent ("duplicate interface definition for
  // ClassScan$Utf8Test", maven-plugin's with-jacoco build).
  private static int skipMember(byte[] classfile, int offset) {
    int attributes = u2(classfile, offset + 6);
    offset += 8;
    for (int a = 0; a < attributes; a++) {
      offset += 6 + u4(classfile, offset + 2);
    }
    return offset;
  }

  private static int u2(byte[] b, int at) {
    return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
  }

  private static int u4(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8
        | b[at + 3] & 0xFF;
  }
}
