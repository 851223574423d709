package dev.lockguard.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.internal.core.Site;
import dev.lockguard.internal.core.Sites;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * A test class run through rewriters in-process, as the agent's transformer runs them at load
 * time: its bytes, ASM's verifier over them, a listing of where the hooks went, and the class
 * defined in a class loader of its own so that it can run against the runtime on the class path.
 */
public final class Rewritten {
  /** Where the runtime's hook classes ({@code Hooks}, {@code LatchHooks}, ...) live. */
  private static final String RUNTIME = "dev/lockguard/internal/";

  /** The binary name of the class rewritten. */
  private final String className;
  /** The loader the class came from: it resolves the types the class names. */
  private final ClassLoader parent;
  private final byte[] bytes;
  private final ClassNode node = new ClassNode();
  private Class<?> loaded;

  private Rewritten(String className, ClassLoader parent, byte[] bytes) {
    this.className = className;
    this.parent = parent;
    this.bytes = bytes;
    new ClassReader(bytes).accept(node, 0);
  }

  /** Rewrites {@code type}'s class file as it is loaded, with {@code rewriters} in this order. */
  public static Rewritten by(Class<?> type, ClassRewriter... rewriters) throws IOException {
    return rewrite(type, true, rewriters);
  }

  /** Rewrites {@code type}'s class file as an already loaded class is retransformed. */
  public static Rewritten retransformed(Class<?> type, ClassRewriter... rewriters)
      throws IOException {
    return rewrite(type, false, rewriters);
  }

  /**
   * Rewrites a class file that no class on the class path has (one written with ASM in the shape
   * another compiler writes) as it is loaded by a child of {@code loader}.
   */
  public static Rewritten of(byte[] classfile, ClassLoader loader, ClassRewriter... rewriters) {
    return rewrite(classfile, loader, true, rewriters);
  }

  private static Rewritten rewrite(Class<?> type, boolean loadTime, ClassRewriter... rewriters)
      throws IOException {
    return rewrite(classFile(type), type.getClassLoader(), loadTime, rewriters);
  }

  /** The class file {@code type} was loaded from. */
  public static byte[] classFile(Class<?> type) throws IOException {
    String file = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(file)) {
      return in.readAllBytes();
    }
  }

  /**
   * Each method's {@code method_info} bytes in a class file, by name and descriptor: equal bytes
   * before and after a rewrite mean the method was copied as it was.
   */
  public static Map<String, byte[]> methodInfos(byte[] classfile) {
    ClassReader reader = new ClassReader(classfile);
    char[] buffer = new char[reader.getMaxStringLength()];
    int offset = reader.header + 6;
    offset += 2 + 2 * reader.readUnsignedShort(offset); // interfaces
    int fields = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < fields; i++) {
      offset = skipMember(reader, offset);
    }
    Map<String, byte[]> methods = new LinkedHashMap<>();
    int count = reader.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < count; i++) {
      int end = skipMember(reader, offset);
      methods.put(reader.readUTF8(offset + 2, buffer) + reader.readUTF8(offset + 4, buffer),
          Arrays.copyOfRange(classfile, offset, end));
      offset = end;
    }
    return methods;
  }

  private static int skipMember(ClassReader reader, int offset) {
    int attributes = reader.readUnsignedShort(offset + 6);
    offset += 8;
    for (int a = 0; a < attributes; a++) {
      offset += 6 + reader.readInt(offset + 2);
    }
    return offset;
  }

  private static Rewritten rewrite(byte[] classfile, ClassLoader loader, boolean loadTime,
      ClassRewriter... rewriters) {
    String className = new ClassReader(classfile).getClassName().replace('/', '.');
    LockTransformer transformer = new LockTransformer(
        new ClassFilter(List.of(), List.of(), Set.of()), List.of(rewriters));
    byte[] rewritten = transformer.rewrite(classfile, loader, loadTime);
    assertThat(rewritten).as("%s was rewritten", className).isNotNull();
    return new Rewritten(className, loader, rewritten);
  }

  public byte[] bytes() {
    return bytes;
  }

  /**
   * Runs ASM's verifier (types, stack heights, max stack and locals) over every method, and checks
   * that every hook call names a public static method of the runtime with that descriptor.
   */
  public Rewritten verified() throws AnalyzerException, ClassNotFoundException {
    for (MethodNode method : node.methods) {
      SimpleVerifier verifier = new SimpleVerifier(Type.getObjectType(node.name),
          Type.getObjectType(node.superName), interfaces(),
          (node.access & Opcodes.ACC_INTERFACE) != 0);
      verifier.setClassLoader(parent);
      try {
        new Analyzer<>(verifier).analyze(node.name, method);
      } catch (AnalyzerException e) {
        throw new AssertionError(
            node.name + "." + method.name + method.desc + ": " + e.getMessage(), e);
      }
      for (MethodInsnNode hook : hooks(method)) {
        assertThat(runtimeMethod(hook))
            .as("%s.%s%s in the runtime", hook.owner, hook.name, hook.desc).isTrue();
      }
    }
    return this;
  }

  private List<Type> interfaces() {
    List<Type> types = new ArrayList<>();
    for (String name : node.interfaces) {
      types.add(Type.getObjectType(name));
    }
    return types;
  }

  private static boolean runtimeMethod(MethodInsnNode hook) throws ClassNotFoundException {
    Class<?> owner = Class.forName(hook.owner.replace('/', '.'));
    for (Method method : owner.getMethods()) {
      if (method.getName().equals(hook.name) && Type.getMethodDescriptor(method).equals(hook.desc)
          && Modifier.isStatic(method.getModifiers())) {
        return true;
      }
    }
    return false;
  }

  /** The owners of the hook calls in the class. */
  public Set<String> hookOwners() {
    Set<String> owners = new LinkedHashSet<>();
    for (MethodNode method : node.methods) {
      for (MethodInsnNode hook : hooks(method)) {
        owners.add(hook.owner);
      }
    }
    return owners;
  }

  /** How many hook calls the class makes, in all its methods. */
  public int hookCount() {
    int count = 0;
    for (MethodNode method : node.methods) {
      count += hooks(method).size();
    }
    return count;
  }

  /**
   * What {@code method} (the first of that name) calls and where its monitors and exits are, in
   * bytecode order: a hook as {@code Hooks.name(descriptor)}, followed by {@code @ name} (the
   * name of the site it passes) when it takes a site; any other call as {@code Owner.name};
   * {@code monitorenter}, {@code monitorexit}, {@code return} and {@code athrow}.
   */
  public List<String> trace(String method) {
    List<String> trace = new ArrayList<>();
    for (AbstractInsnNode insn : method(method).instructions) {
      int opcode = insn.getOpcode();
      if (insn instanceof MethodInsnNode call) {
        trace.add(isHook(call) ? hook(call) : Bytecode.simpleName(call.owner) + "." + call.name);
      } else if (opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT) {
        trace.add(opcode == Opcodes.MONITORENTER ? "monitorenter" : "monitorexit");
      } else if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
        trace.add("return");
      } else if (opcode == Opcodes.ATHROW) {
        trace.add("athrow");
      }
    }
    return trace;
  }

  /**
   * {@code Hooks.name(descriptor)}, and the name of the site pushed right before it, if any (or
   * right before the method's state local, which the lock-order hooks take after it).
   */
  private static String hook(MethodInsnNode call) {
    String text = Bytecode.simpleName(call.owner) + "." + call.name + call.desc;
    AbstractInsnNode push = call.getPrevious();
    if (call.desc.contains("ILjava/lang/Object;)") && push instanceof VarInsnNode state
        && state.getOpcode() == Opcodes.ALOAD) {
      push = push.getPrevious();
    } else if (!call.desc.contains("I)")) {
      return text; // the hooks that take a site take it last
    }
    Site site = Sites.get(pushedInt(push));
    assertThat(site.id).as("a registered site before %s", text).isPositive();
    return text + " @ " + site.lockName();
  }

  private static int pushedInt(AbstractInsnNode push) {
    if (push instanceof IntInsnNode value) {
      return value.operand;
    }
    if (push instanceof LdcInsnNode constant && constant.cst instanceof Integer value) {
      return value;
    }
    assertThat(push).as("a site id pushed").isInstanceOf(InsnNode.class);
    return push.getOpcode() - Opcodes.ICONST_0;
  }

  private MethodNode method(String name) {
    for (MethodNode method : node.methods) {
      if (method.name.equals(name)) {
        return method;
      }
    }
    throw new AssertionError("no method " + name + " in " + node.name);
  }

  private static List<MethodInsnNode> hooks(MethodNode method) {
    List<MethodInsnNode> hooks = new ArrayList<>();
    for (AbstractInsnNode insn : method.instructions) {
      if (insn instanceof MethodInsnNode call && isHook(call)) {
        hooks.add(call);
      }
    }
    return hooks;
  }

  /** A call of a runtime class whose name ends in {@code Hooks}, the classes rewriters call. */
  private static boolean isHook(MethodInsnNode call) {
    return call.getOpcode() == Opcodes.INVOKESTATIC && call.owner.startsWith(RUNTIME)
        && call.owner.endsWith("Hooks");
  }

  /**
   * The rewritten class, defined and initialized (so verified by the JVM) in a class loader that
   * defines it alone and delegates everything else: its hooks reach the runtime on the class path.
   */
  public Class<?> load() throws ClassNotFoundException {
    if (loaded == null) {
      loaded = Class.forName(className, true, new ChildFirst(className, parent, bytes));
    }
    return loaded;
  }

  /** Makes an instance of the rewritten class with its no-argument constructor. */
  public Object newInstance() throws ReflectiveOperationException {
    var constructor = load().getDeclaredConstructor();
    constructor.setAccessible(true); // another loader: another runtime package
    return constructor.newInstance();
  }

  /** Calls the rewritten class's method {@code name} on {@code target} (null: a static method). */
  public Object call(Object target, String name, Object... arguments)
      throws ReflectiveOperationException {
    for (Method method : load().getDeclaredMethods()) {
      if (method.getName().equals(name)) {
        method.setAccessible(true);
        return method.invoke(target, arguments);
      }
    }
    throw new AssertionError("no method " + name);
  }

  /** Defines one rewritten class itself and delegates everything else. */
  private static final class ChildFirst extends ClassLoader {
    private final String name;
    private final byte[] classFile;

    ChildFirst(String name, ClassLoader parent, byte[] classFile) {
      super(parent);
      this.name = name;
      this.classFile = classFile;
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
      if (className.equals(name)) {
        synchronized (getClassLoadingLock(className)) {
          Class<?> loaded = findLoadedClass(className);
          return loaded != null ? loaded : defineClass(className, classFile, 0, classFile.length);
        }
      }
      return super.loadClass(className, resolve);
    }
  }
}
