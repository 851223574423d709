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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
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
