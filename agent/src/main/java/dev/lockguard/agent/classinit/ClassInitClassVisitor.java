package dev.lockguard.agent.classinit;

import dev.lockguard.agent.core.ClassRewriter;
import dev.lockguard.agent.core.ClassScan;
import dev.lockguard.agent.core.SiteClassVisitor;
import dev.lockguard.agent.core.Target;
import dev.lockguard.internal.classinit.ClassInits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The class-initialization rewriter: puts the hooks around a class's {@code <clinit>} ({@link
 * ClinitHooks}) and tells the runtime ({@link ClassInits#describe}) what the class's
 * initialization needs: its superclass, its interfaces, whether it declares default methods (an
 * interface), whether code outside its outer class, or outside its package ({@link
 * EntryAccess}), can start its initialization, and what its initializer touches ({@link
 * InitTouches}).
 *
 * <p>The reading is cheap: it rides on the transformer's one pass over the class, and reads
 * the class a second time only when its initializer calls a method of its own (an enum's {@code
 * $values()}), and then only those methods' code; and before the pass, when the class has an
 * initializer and may take a lock, the initializer's calls ({@link InitCallees}), so that the
 * locks of the methods it calls get the hook. Classes retransformed after they were loaded are
 * left alone: their initializers ran before the agent could watch them.
 */
public final class ClassInitClassVisitor extends SiteClassVisitor {
  /**
   * Rewrites a class that has an initializer, reading no method but the initializer: the others
   * pass to the writer as they are, and are copied byte for byte unless another rewriter sees the
   * class too. A class without an initializer changes nothing and is not parsed for this
   * rewriter; it is described from its headers alone ({@link ClassReader#SKIP_CODE}): the runtime
   * still needs the parents of a subclass whose superclass's initializer makes one of it.
   */
  public static final ClassRewriter REWRITER = new ClassRewriter() {
    @Override
    public ClassVisitor wrap(ClassVisitor next, Target target) {
      return new ClassInitClassVisitor(next, target);
    }

    @Override
    public boolean mayChange(ClassReader reader) {
      return ClassScan.declaresMethod(reader, "<clinit>");
    }

    /** Its one frame, the catch-all handler's, is written in the form the class is read in. */
    @Override
    public boolean expandsFrames() {
      return false;
    }

    @Override
    public void notParsed(ClassReader reader, boolean loadTime) {
      if (loadTime && mayExtendApplicationCode(reader)) {
        reader.accept(new ClassInitClassVisitor(null, Target.headersOnly(reader, loadTime)),
            ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
      }
    }
  };
  /** How many times the class's own methods called from its initializer are followed. */
  private static final int OWN_CALL_ROUNDS = 4;

  private String superName;
  private String[] interfaces;
  private boolean isInterface;
  private boolean notAnEntry;
  private boolean defaultMethods;
  private InitTouches touches;
  private final EntryAccess entryAccess = new EntryAccess();
  /** The methods the initializer calls that may take a lock ({@link InitCallees}); lazy. */
  private Set<String> callees;

  private ClassInitClassVisitor(ClassVisitor next, Target target) {
    super(next, target);
  }

  @Override
  public void visit(int version, int access, String name, String signature, String superName,
      String[] interfaces) {
    this.superName = superName;
    this.interfaces = interfaces == null ? new String[0] : interfaces;
    this.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
    this.notAnEntry = (access & Opcodes.ACC_SYNTHETIC) != 0;
    entryAccess.visit(access);
    super.visit(version, access, name, signature, superName, interfaces);
  }

  @Override
  public void visitInnerClass(String name, String outerName, String innerName, int access) {
    if (name.equals(internalName) && (innerName == null
        || (access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC)) != 0)) {
      notAnEntry = true; // anonymous (an enum constant's body), synthetic or private nested
    }
    super.visitInnerClass(name, outerName, innerName, access);
  }

  @Override
  public FieldVisitor visitField(int access, String name, String descriptor, String signature,
      Object value) {
    entryAccess.field(access, value);
    return super.visitField(access, name, descriptor, signature, value);
  }

  @Override
  public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
      String[] exceptions) {
    entryAccess.method(access, name);
    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
    boolean initializer = name.equals("<clinit>");
    if (isInterface && !initializer
        && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC)) == 0) {
      defaultMethods = true;
    }
    if (!initializer && watched() && callees().contains(name + descriptor)) {
      target.changed();
      return ClinitHooks.locksOnly(next, ClassInits.reserve(className));
    }
    if (!initializer || !watched()) {
      return next;
    }
    target.changed();
    touches = new InitTouches(internalName);
    int id = ClassInits.reserve(className);
    return touches.reader(new ClinitHooks(next, id, version, target.expandedFrames), name);
  }

  @Override
  public void visitEnd() {
    super.visitEnd();
    if (!watched() || touches == null && !extendsApplicationCode() && !defaultMethods) {
      return;
    }
    List<InitTouches.Touch> read = touches == null ? List.of() : followOwnCalls();
    int count = read.size();
    String[] targets = new String[count];
    String[] members = new String[count];
    String[] methods = new String[count];
    int[] lines = new int[count];
    byte[] hows = new byte[count];
    for (int i = 0; i < count; i++) {
      InitTouches.Touch touch = read.get(i);
      targets[i] = touch.target();
      members[i] = touch.member();
      methods[i] = touch.method();
      lines[i] = touch.line();
      hows[i] = touch.how();
    }
    // The JDK's classes are never described: the runtime need not look them up.
    List<String> parents = new ArrayList<>();
    for (String parent : interfaces) {
      if (!parent.startsWith("java/")) {
        parents.add(parent.replace('/', '.'));
      }
    }
    String parentClass = superName == null || superName.startsWith("java/") ? null
        : superName.replace('/', '.');
    int flags = (touches != null ? ClassInits.HAS_CLINIT : 0)
        | (defaultMethods ? ClassInits.DEFAULT_METHODS : 0)
        | (notAnEntry ? ClassInits.NOT_AN_ENTRY
            : entryAccess.packageOnly() ? ClassInits.PACKAGE_ENTRY : 0);
    ClassInits.describe(className, sourceFile, parentClass,
        parents.toArray(new String[0]), flags, targets, members, methods, lines, hows);
  }

  private Set<String> callees() {
    if (callees == null) {
      callees = ClassScan.declaresMethod(target.reader, "<clinit>")
          ? InitCallees.of(target.reader, internalName, OWN_CALL_ROUNDS) : Set.of();
    }
    return callees;
  }

  /** Application classes being loaded; the JDK's and those retransformed are not watched. */
  private boolean watched() {
    return target.loadTime && !internalName.startsWith("java/");
  }

  /**
   * Whether the class has a parent outside the JDK or is an interface (which may declare default
   * methods): the classes the runtime is told about even without an initializer.
   */
  private static boolean mayExtendApplicationCode(ClassReader reader) {
    String parent = reader.getSuperName();
    if ((reader.getAccess() & Opcodes.ACC_INTERFACE) != 0
        || parent != null && !parent.startsWith("java/")) {
      return true;
    }
    for (String type : reader.getInterfaces()) {
      if (!type.startsWith("java/")) {
        return true;
      }
    }
    return false;
  }

  private boolean extendsApplicationCode() {
    if (superName != null && !superName.startsWith("java/")) {
      return true;
    }
    for (String parent : interfaces) {
      if (!parent.startsWith("java/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The initializer's touches with those of the class's own methods it calls, read from the
   * class file again, a few rounds deep (a helper that calls a helper).
   */
  private List<InitTouches.Touch> followOwnCalls() {
    Set<String> read = new HashSet<>();
    for (int round = 0; round < OWN_CALL_ROUNDS; round++) {
      Set<String> pending = new HashSet<>(touches.ownCalls);
      pending.removeAll(read);
      if (pending.isEmpty()) {
        break;
      }
      read.addAll(pending);
      target.reader.accept(new ClassVisitor(Opcodes.ASM9) {
        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor,
            String signature, String[] exceptions) {
          return pending.contains(name + descriptor) ? touches.reader(null, name) : null;
        }
      }, ClassReader.SKIP_FRAMES);
    }
    return touches.touches();
  }
}
