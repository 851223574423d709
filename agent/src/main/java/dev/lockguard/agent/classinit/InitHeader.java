package dev.lockguard.agent.classinit;

import static dev.lockguard.agent.core.ClassScan.bytes;
import static dev.lockguard.agent.core.ClassScan.classNameEntry;
import static dev.lockguard.agent.core.ClassScan.isText;
import static dev.lockguard.agent.core.ClassScan.methods;
import static dev.lockguard.agent.core.ClassScan.sameText;
import static dev.lockguard.agent.core.ClassScan.skipMember;
import static dev.lockguard.agent.core.ClassScan.startsWith;
import static dev.lockguard.agent.core.ClassScan.u2;
import static dev.lockguard.agent.core.ClassScan.u4;

import dev.lockguard.internal.classinit.ClassInits;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Declares a class without an initializer to the runtime ({@link ClassInits#declare}) from what
 * its class file says before and after its members, with no {@code String} made unless the class
 * is declared: the runtime follows such a class only as a parent or a touched class, so it needs
 * at once its parents outside the JDK, whether it is an interface with default methods (which its
 * implementations initialize first) and whether it is not an entry (synthetic, anonymous or
 * private nested: {@code mayStart} asks that whenever a cycle closes through it, as with an enum
 * constant's body). Whether only its package can start it is left unread ({@link
 * ClassInits#ENTRY_UNREAD}): {@link PackageStarters#packageOnly} reads it from the class file
 * when a cycle through the class is about to be reported.
 *
 * <p>A class with an initializer is declared the same way when only the class-initialization
 * rewriter changes it ({@link #declareInitializer}), with its class file kept for the runtime to
 * have {@link InitDescription} read when the initializer starts: most of what the description
 * reads (the touches, the source file, the package entry) matters only then, and a class may be
 * loaded and never initialized.
 */
final class InitHeader {
  static final byte[] JAVA = {'j', 'a', 'v', 'a', '/'};

  private InitHeader() {}

  /**
   * Declares the class of {@code reader}, being loaded ({@code loadTime}), unless it is the JDK's
   * or extends only the JDK's classes and declares no default method: the runtime needs nothing
   * of it then.
   */
  static void declare(ClassReader reader, boolean loadTime) {
    declare(reader, loadTime, false);
  }

  /**
   * Declares the class of {@code reader}, being loaded and watched ({@link
   * InitDescription#watched}), which has an initializer: its header now, and its class file kept
   * for the runtime to have read when the initializer starts ({@link
   * ClassInits#declareInitializer}).
   *
   * @return the id the initializer's hooks pass
   */
  static int declareInitializer(ClassReader reader) {
    return declare(reader, true, true);
  }

  /** Declares the class; returns its id if it has an initializer, else 0. */
  private static int declare(ClassReader reader, boolean loadTime, boolean initializer) {
    byte[] b = bytes(reader);
    int header = reader.header;
    int name = classNameEntry(reader, u2(b, header + 2));
    if (!initializer && (!loadTime || startsWith(b, name, JAVA))) {
      return 0;
    }
    int access = u2(b, header);
    int superIndex = u2(b, header + 4);
    int superName = superIndex == 0 ? -1 : classNameEntry(reader, superIndex);
    boolean applicationSuper = superName >= 0 && !startsWith(b, superName, JAVA);
    int interfaceCount = u2(b, header + 6);
    int applicationInterfaces = 0;
    for (int i = 0; i < interfaceCount; i++) {
      applicationInterfaces += isJava(reader, b, header + 8 + 2 * i) ? 0 : 1;
    }
    boolean isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
    if (!initializer && !isInterface && !applicationSuper && applicationInterfaces == 0) {
      return 0;
    }
    int offset = methods(b, reader);
    int methods = u2(b, offset);
    offset += 2;
    boolean defaultMethods = false;
    for (int i = 0; i < methods; i++) {
      // Any method neither abstract nor static is one (<clinit> is static).
      defaultMethods |= isInterface
          && (u2(b, offset) & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC)) == 0;
      offset = skipMember(b, offset);
    }
    if (!initializer && !applicationSuper && applicationInterfaces == 0 && !defaultMethods) {
      return 0;
    }
    boolean notAnEntry = (access & Opcodes.ACC_SYNTHETIC) != 0
        || nestedOnly(reader, b, offset, name);
    String[] interfaces = new String[applicationInterfaces];
    for (int i = 0, next = 0; i < interfaceCount; i++) {
      if (!isJava(reader, b, header + 8 + 2 * i)) {
        interfaces[next++] = binaryName(reader, b, header + 8 + 2 * i);
      }
    }
    int flags = (defaultMethods ? ClassInits.DEFAULT_METHODS : 0)
        | (notAnEntry ? ClassInits.NOT_AN_ENTRY : ClassInits.ENTRY_UNREAD);
    String className = binaryName(reader, b, header + 2);
    String parent = applicationSuper ? binaryName(reader, b, header + 4) : null;
    if (initializer) {
      return ClassInits.declareInitializer(className, parent, interfaces,
          flags | ClassInits.HAS_CLINIT, b);
    }
    ClassInits.declare(className, parent, interfaces, flags);
    return 0;
  }

  /**
   * Whether the class's own entry in its {@code InnerClasses} attribute, among the class
   * attributes at {@code offset}, says it is anonymous (an enum constant's body), private
   * (a lazy holder) or synthetic: only its outer class's code can start it then.
   */
  private static boolean nestedOnly(ClassReader reader, byte[] b, int offset, int name) {
    int attributes = u2(b, offset);
    offset += 2;
    for (int a = 0; a < attributes; a++) {
      int body = offset + 6;
      if (isText(b, reader.getItem(u2(b, offset)), "InnerClasses")) {
        int classes = u2(b, body);
        for (int i = 0; i < classes; i++) {
          int entry = body + 2 + 8 * i;
          if ((u2(b, entry + 4) == 0 // its flags first: most entries are neither
                  || (u2(b, entry + 6) & (Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC)) != 0)
              && sameText(b, classNameEntry(reader, u2(b, entry)), name)) {
            return true;
          }
        }
      }
      offset = body + u4(b, offset + 2);
    }
    return false;
  }

  /** Whether the class named at constant-pool index {@code at}'s u2 is the JDK's. */
  private static boolean isJava(ClassReader reader, byte[] b, int at) {
    return startsWith(b, classNameEntry(reader, u2(b, at)), JAVA);
  }

  /**
   * The binary name ({@code com.acme.Foo}) of the class whose {@code Class} constant's index is
   * the u2 at {@code at}.
   */
  private static String binaryName(ClassReader reader, byte[] b, int at) {
    int entry = classNameEntry(reader, u2(b, at));
    int length = u2(b, entry);
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      byte c = b[entry + 2 + i];
      if (c <= 0) { // beyond ASCII: modified UTF-8, which ASM decodes
        return reader.readClass(at, chars).replace('/', '.');
      }
      chars[i] = c == '/' ? '.' : (char) c;
    }
    return new String(chars);
  }
}
