package dev.lockguard.agent.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fixtures.agent.loaders.ChildFirstLoader;
import fixtures.agent.loaders.Inversion;
import fixtures.agent.loaders.IsolatingLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The boot-first rule on a real loader class ({@link IsolatingLoader}), and which loaders
 * {@link ReachableLoaders} trusts. The forked-JVM proof is {@code ClassLoadersIT}.
 */
class LoaderTests {
  private static final String HOOK_CLASS = "dev.lockguard.internal.Probe";

  @TempDir Path plugins;

  @Test
  void rewrittenLoaderAsksTheBootLoaderForHookPackagesAndItselfForTheRest() throws Exception {
    writeClass(plugins, HOOK_CLASS); // a plugin bundling a class of lockguard's hook packages
    ClassLoader original = new IsolatingLoader(plugins);
    assertThat(original.loadClass(HOOK_CLASS).getClassLoader()).as("unrewritten: its own copy")
        .isSameAs(original);

    byte[] rewritten = LoaderTransformer.rewrite(bytesOf(IsolatingLoader.class));
    ClassLoader loader = (ClassLoader) new Definer()
        .define(IsolatingLoader.class.getName(), rewritten)
        .getConstructor(Path.class).newInstance(plugins);

    // This test JVM has no lockguard on the boot class path, so the boot loader's answer is "no".
    assertThatThrownBy(() -> loader.loadClass(HOOK_CLASS))
        .isInstanceOf(ClassNotFoundException.class)
        .hasMessage(HOOK_CLASS.replace('.', '/')) // the boot loader's words, not the plugin's
        .hasStackTraceContaining("java.lang.Class.forName");
    assertThat(loader.loadClass("java.lang.String")).isSameAs(String.class);
    assertThatThrownBy(() -> loader.loadClass("com.acme.Missing"))
        .hasMessageContaining("a plugin sees java.* and its own classes only");
  }

  @Test
  void loadClassThatStartsWithALoopStillVerifies() throws Exception {
    byte[] rewritten = LoaderTransformer.rewrite(bytesOf(LoopFirstLoader.class));
    assertThat(rewritten).isNotNull();
    ClassLoader loader = (ClassLoader) new Definer()
        .define(LoopFirstLoader.class.getName(), rewritten).getConstructor().newInstance();

    assertThat(loader.loadClass("java.lang.String")).isSameAs(String.class);
    assertThatThrownBy(() -> loader.loadClass(HOOK_CLASS))
        .hasMessage(HOOK_CLASS.replace('.', '/'));
  }

  @Test
  void classesThatDeclareNoLoadClassAreLeftAlone() throws IOException {
    assertThat(LoaderTransformer.rewrite(bytesOf(Inversion.class))).isNull();
    assertThat(LoaderTransformer.rewrite(bytesOf(URLClassLoader.class))).isNull();
  }

  @Test
  void theLookBeforeParsingFindsADeclaredLoadClassWhereverTheNameLies() throws IOException {
    for (Class<?> loader : List.of(IsolatingLoader.class, ChildFirstLoader.class,
        LoopFirstLoader.class)) {
      assertThat(LoaderTransformer.mayDeclareLoadClass(bytesOf(loader)))
          .as(loader.getSimpleName()).isTrue();
    }
    byte[] afterWideConstants = loaderClass("com/acme/Wide", Opcodes.ACC_PUBLIC, "loadClass",
        true, visitor -> {
          visitor.visitLdcInsn(1L << 40); // a long and a double: two constant slots each
          visitor.visitLdcInsn(Math.PI);
          visitor.visitInsn(Opcodes.POP2);
          visitor.visitInsn(Opcodes.POP2);
        });
    assertThat(LoaderTransformer.mayDeclareLoadClass(afterWideConstants)).isTrue();
    assertThat(LoaderTransformer.rewrite(afterWideConstants)).isNotNull();

    byte[] callsAndMentions = loaderClass("com/acme/Caller", Opcodes.ACC_PUBLIC, "find", true,
        visitor -> {
          visitor.visitLdcInsn("loadClass"); // the name as a string constant
          visitor.visitInsn(Opcodes.POP);
          visitor.visitVarInsn(Opcodes.ALOAD, 0);
          visitor.visitLdcInsn("x");
          visitor.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/ClassLoader", "loadClass",
              "(Ljava/lang/String;)Ljava/lang/Class;", false); // another loader's, called
          visitor.visitInsn(Opcodes.POP);
        });
    byte[] anInterface = loaderClass("com/acme/Loading",
        Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT, "loadClass", false,
        visitor -> { });
    for (byte[] classfile : List.of(callsAndMentions, anInterface)) {
      assertThat(LoaderTransformer.mayDeclareLoadClass(classfile)).isFalse();
      assertThat(LoaderTransformer.rewrite(classfile)).as("no answer lost").isNull();
    }
    assertThat(LoaderTransformer.mayDeclareLoadClass(bytesOf(Inversion.class))).isFalse();
    assertThat(LoaderTransformer.mayDeclareLoadClass(Arrays.copyOf(afterWideConstants, 40)))
        .as("a truncated class file: ASM says what is wrong").isTrue();
  }

  /**
   * A class extending {@link ClassLoader} (or an interface) with one method {@code
   * method(String, boolean)} returning a {@code Class}, whose body {@code code} starts.
   */
  private static byte[] loaderClass(String name, int access, String method, boolean body,
      Consumer<MethodVisitor> code) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    boolean isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
    writer.visit(Opcodes.V17, access, name, null,
        isInterface ? "java/lang/Object" : "java/lang/ClassLoader", null);
    MethodVisitor visitor = writer.visitMethod(
        body ? Opcodes.ACC_PROTECTED : Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, method,
        "(Ljava/lang/String;Z)Ljava/lang/Class;", null, null);
    if (body) {
      visitor.visitCode();
      code.accept(visitor);
      visitor.visitVarInsn(Opcodes.ALOAD, 0);
      visitor.visitVarInsn(Opcodes.ALOAD, 1);
      visitor.visitVarInsn(Opcodes.ILOAD, 2);
      visitor.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/ClassLoader", "loadClass",
          "(Ljava/lang/String;Z)Ljava/lang/Class;", false);
      visitor.visitInsn(Opcodes.ARETURN);
      visitor.visitMaxs(0, 0);
    }
    visitor.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  @Test
  void theJdksLoadersAndLoadersThatOverrideNothingReachTheBootLoader() throws IOException {
    ReachableLoaders loaders = new ReachableLoaders();
    try (URLClassLoader noParent = new URLClassLoader(new URL[0], null)) {
      assertThat(loaders.reaches(ClassLoader.getSystemClassLoader())).isTrue();
      assertThat(loaders.reaches(noParent)).isTrue();
      assertThat(loaders.reaches(new ClassLoader(noParent) {})).isTrue();
    }
  }

  @Test
  void aLoaderIsTrustedWhenItsLoadClassWasRewrittenAndNotWhenThatFailed() throws IOException {
    ReachableLoaders loaders = new ReachableLoaders();
    IsolatingLoader isolating = new IsolatingLoader(plugins);
    try (URLClassLoader parentFirstChild = new URLClassLoader(new URL[0], isolating);
        ChildFirstLoader childFirst = new ChildFirstLoader(new URL[0], isolating)) {
      loaders.failed(IsolatingLoader.class.getName(), new IllegalStateException("bad frames"));
      assertThat(loaders.reaches(isolating)).isFalse();
      assertThat(loaders.reaches(parentFirstChild)).as("asks the isolating loader first").isFalse();

      loaders.rewritten(ChildFirstLoader.class.getName());
      assertThat(loaders.reaches(childFirst)).as("asks the boot loader before its parent").isTrue();

      ReachableLoaders rewritten = new ReachableLoaders();
      rewritten.rewritten(IsolatingLoader.class.getName());
      assertThat(rewritten.reaches(isolating)).isTrue();
      assertThat(rewritten.reaches(parentFirstChild)).isTrue();
    }
  }

  private static byte[] bytesOf(Class<?> type) throws IOException {
    String file = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(file)) {
      return in.readAllBytes();
    }
  }

  private static void writeClass(Path root, String name) throws IOException {
    ClassWriter writer = new ClassWriter(0);
    String internalName = name.replace('.', '/');
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
    writer.visitEnd();
    Path file = root.resolve(internalName + ".class");
    Files.createDirectories(file.getParent());
    Files.write(file, writer.toByteArray());
  }

  /** Its {@code loadClass} begins with a loop header: the original code has a frame at offset 0. */
  public static final class LoopFirstLoader extends ClassLoader {
    public LoopFirstLoader() {
      super(ClassLoader.getSystemClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      while (name.isEmpty()) {
        name = "java.lang.Object";
      }
      return super.loadClass(name, resolve);
    }
  }

  /** Defines one class from bytes, below the test's loader. */
  private static final class Definer extends ClassLoader {
    Definer() {
      super(LoaderTests.class.getClassLoader());
    }

    Class<?> define(String name, byte[] bytes) {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
