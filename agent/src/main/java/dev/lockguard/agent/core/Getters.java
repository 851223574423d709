package dev.lockguard.agent.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Which field a no-argument method returns as it is, read from class files without loading them:
 * {@code holder.getLock()} names the lock {@code Holder.lock} when {@code getLock} is
 * {@code aload_0; getfield lock; areturn} (or {@code getstatic; areturn}, a {@code checkcast}
 * between allowed), declared in the called class or inherited from a superclass.
 *
 * <p>The method read is the one the call names, not the override that may run: a subclass that
 * overrides the getter is named after its parent's field. JDK classes are not read: their field
 * names ({@code AtomicReference.value}) say less than the method ({@code AtomicReference.get()}).
 * The class being transformed is read from its own bytes; other classes from the defining loader,
 * each once per loader, and only when a lock, latch or queue site asks.
 */
public final class Getters {
  /** Reads nothing: every call is named after its method (unit tests). */
  public static final Getters NONE = new Getters(null, null, false);

  /** The classes read, per loader (null for the boot loader), by internal name. */
  private static final Map<ClassLoader, Map<String, ClassGetters>> READ = new WeakHashMap<>();
  /** How far up the superclasses a getter is looked for. */
  private static final int MAX_DEPTH = 8;

  private final ClassLoader loader;
  private final ClassReader current;
  private final boolean reads;
  /** The class being transformed, read on first need. */
  private ClassGetters currentGetters;

  /**
   * @param loader the loader that defines the class being transformed (null: the boot loader)
   * @param current the class being transformed, read from its bytes rather than looked up
   */
  Getters(ClassLoader loader, ClassReader current) {
    this(loader, current, true);
  }

  private Getters(ClassLoader loader, ClassReader current, boolean reads) {
    this.loader = loader;
    this.current = current;
    this.reads = reads;
  }

  /**
   * {@code Holder.lock} if {@code owner.name descriptor} (a method without arguments) returns that
   * field as it is, else null.
   */
  public String fieldReturnedBy(String owner, String name, String descriptor) {
    String type = reads ? owner : null;
    for (int depth = 0; depth < MAX_DEPTH && type != null && !isJdk(type); depth++) {
      ClassGetters getters = read(type);
      if (getters.declares.containsKey(name + descriptor)) {
        return getters.declares.get(name + descriptor); // null: declared here, but not trivial
      }
      type = getters.superName;
    }
    return null;
  }

  private static boolean isJdk(String internalName) {
    return internalName.startsWith("java/") || internalName.startsWith("javax/")
        || internalName.startsWith("jdk/") || internalName.startsWith("sun/")
        || internalName.startsWith("com/sun/");
  }

  private ClassGetters read(String internalName) {
    if (current != null && current.getClassName().equals(internalName)) {
      if (currentGetters == null) {
        currentGetters = ClassGetters.of(current);
      }
      return currentGetters;
    }
    Map<String, ClassGetters> classes;
    synchronized (READ) {
      classes = READ.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
    }
    ClassGetters known = classes.get(internalName);
    if (known == null) {
      // Read outside any lock of ours: the loader may load classes, and so transform them.
      known = locate(internalName);
      classes.putIfAbsent(internalName, known);
    }
    return known;
  }

  private ClassGetters locate(String internalName) {
    byte[] classFile = ClassFiles.read(loader, internalName);
    if (classFile == null) {
      return ClassGetters.UNKNOWN; // not found or unreadable: name the call after its method
    }
    try {
      return ClassGetters.of(new ClassReader(classFile));
    } catch (RuntimeException e) {
      return ClassGetters.UNKNOWN; // not a class file ASM can read
    }
  }

  /** One class's no-argument methods returning a reference, and the field each returns if any. */
  private static final class ClassGetters extends ClassVisitor {
    static final ClassGetters UNKNOWN = new ClassGetters();

    /** Method name and descriptor to {@code Owner.field}, or to null for any other body. */
    final Map<String, String> declares = new HashMap<>();
    String superName;

    private ClassGetters() {
      super(Opcodes.ASM9);
    }

    static ClassGetters of(ClassReader reader) {
      ClassGetters getters = new ClassGetters();
      reader.accept(getters, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      return getters;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName,
        String[] interfaces) {
      this.superName = superName;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      if (!descriptor.startsWith("()L") && !descriptor.startsWith("()[")) {
        return null;
      }
      String key = name + descriptor;
      declares.put(key, null);
      if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
        return null;
      }
      boolean instance = (access & Opcodes.ACC_STATIC) == 0;
      return new TrivialGetter(instance, field -> declares.put(key, field));
    }
  }

  /**
   * Matches {@code aload_0; getfield f; [checkcast;] areturn} in an instance method and
   * {@code getstatic f; [checkcast;] areturn} in a static one, and nothing else.
   */
  private static final class TrivialGetter extends MethodVisitor {
    private final Consumer<String> found;
    /** The opcodes of the body, {@code checkcast} left out; -1 for {@code aload} of a local > 0. */
    private final List<Integer> opcodes = new ArrayList<>();
    private final List<Integer> expected;
    private String field;

    TrivialGetter(boolean instance, Consumer<String> found) {
      super(Opcodes.ASM9);
      this.found = found;
      this.expected = instance ? List.of(Opcodes.ALOAD, Opcodes.GETFIELD, Opcodes.ARETURN)
          : List.of(Opcodes.GETSTATIC, Opcodes.ARETURN);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
      opcodes.add(varIndex == 0 ? opcode : -1);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      opcodes.add(opcode);
      field = ReceiverNames.field(owner, name);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      if (opcode != Opcodes.CHECKCAST) {
        opcodes.add(opcode);
      }
    }

    @Override
    public void visitInsn(int opcode) {
      opcodes.add(opcode);
    }

    // Any other instruction makes the body more than a getter.

    @Override
    public void visitIntInsn(int opcode, int operand) {
      opcodes.add(opcode);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
        boolean isInterface) {
      opcodes.add(opcode);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap,
        Object... arguments) {
      opcodes.add(Opcodes.INVOKEDYNAMIC);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      opcodes.add(opcode);
    }

    @Override
    public void visitLdcInsn(Object value) {
      opcodes.add(Opcodes.LDC);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
      opcodes.add(Opcodes.IINC);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
      opcodes.add(Opcodes.TABLESWITCH);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
      opcodes.add(Opcodes.LOOKUPSWITCH);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
      opcodes.add(Opcodes.MULTIANEWARRAY);
    }

    @Override
    public void visitEnd() {
      if (opcodes.equals(expected)) {
        found.accept(field);
      }
    }
  }
}
