package dev.lockguard.agent.classinit;

import static org.assertj.core.api.Assertions.assertThat;

import fixtures.agent.classinit.entries.PackageEntries;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package reader on {@code fixtures.agent.classinit.entries}, from the test classes' directory
 * and from a jar: who in the package starts a class only its package can start.
 */
class PackageStartersTests {
  private static final String ENTRIES = "fixtures.agent.classinit.entries.PackageEntries$";

  @TempDir Path dir;

  @Test
  void aSubclassMadeOnlyByItsSuperclassHasNoStarter() throws Exception {
    Class<?> sub = Class.forName(ENTRIES + "DefaultSubstitutor", false, loader());

    assertThat(PackageStarters.starterOf(sub,
        Set.of(ENTRIES + "Substitutor", ENTRIES + "DefaultSubstitutor"))).isEmpty();
  }

  @Test
  void anotherClassOfThePackageThatMakesItIsItsStarter() throws Exception {
    Class<?> grey = Class.forName(ENTRIES + "ShadeOfGrey", false, loader());

    assertThat(PackageStarters.starterOf(grey, Set.of(ENTRIES + "Shade", ENTRIES + "ShadeOfGrey")))
        .isEqualTo(ENTRIES + "Palette");
  }

  /**
   * jgit's transports: the code that starts {@code LocalTransport} is its own protocol's and
   * {@code BundleTransport}'s protocol's, anonymous classes that only the transports' initializers
   * make, so it runs only once {@code Transport} is initialized: no starter.
   */
  @Test
  void anAnonymousClassOfASubclassStartsNothingBeforeTheSuperclassIsInitialized()
      throws Exception {
    Class<?> local = Class.forName(ENTRIES + "LocalTransport", false, loader());

    assertThat(PackageStarters.starterOf(local,
        Set.of(ENTRIES + "Transport", ENTRIES + "LocalTransport"))).isEmpty();
  }

  /** The same shape, with an anonymous class of a class outside the cycle as the starter. */
  @Test
  void anAnonymousClassOfAnotherClassIsAStarter() throws Exception {
    Class<?> local = Class.forName(ENTRIES + "LocalChannel", false, loader());

    assertThat(PackageStarters.starterOf(local,
        Set.of(ENTRIES + "Channel", ENTRIES + "LocalChannel"))).isEqualTo(ENTRIES + "Dialer$1");
  }

  @Test
  void aSubclassAnyCodeCanStartStartsItsSuperclass() throws Exception {
    Class<?> leaf = Class.forName(ENTRIES + "Leaf", false, loader());

    assertThat(PackageStarters.starterOf(leaf, Set.of(ENTRIES + "Leaf")))
        .isEqualTo(ENTRIES + "OpenLeaf");
  }

  @Test
  void theSameFromAJar() throws Exception {
    Path jar = dir.resolve("entries.jar");
    Path classes = Path.of(PackageEntries.class.getResource("PackageEntries.class").toURI())
        .getParent();
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream writer = new JarOutputStream(out);
        Stream<Path> files = Files.list(classes)) {
      for (Path file : files.toList()) {
        writer.putNextEntry(new JarEntry("fixtures/agent/classinit/entries/" + file.getFileName()));
        writer.write(Files.readAllBytes(file));
        writer.closeEntry();
      }
    }
    try (URLClassLoader fromJar = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> grey = Class.forName(ENTRIES + "ShadeOfGrey", false, fromJar);
      Class<?> primitive = Class.forName(ENTRIES + "CtPrimitive", false, fromJar);

      assertThat(grey.getClassLoader()).isSameAs(fromJar);
      assertThat(PackageStarters.starterOf(grey, Set.of(ENTRIES + "Shade",
          ENTRIES + "ShadeOfGrey"))).isEqualTo(ENTRIES + "Palette");
      assertThat(PackageStarters.starterOf(primitive, Set.of(ENTRIES + "CtKind",
          ENTRIES + "CtPrimitive"))).isEmpty();
    }
  }

  @Test
  void aClassOutsideAnyReadablePlaceIsNotAnswered() {
    assertThat(PackageStarters.starterOf(List.class, Set.of())).isNull();
  }

  @Test
  void theClassFileSaysWhetherOnlyItsPackageCanStartAClass() throws Exception {
    assertThat(PackageStarters.packageOnly(
        Class.forName(ENTRIES + "DefaultSubstitutor", false, loader()))).isTrue();
    assertThat(PackageStarters.packageOnly(Class.forName(ENTRIES + "CtPrimitive", false, loader())))
        .as("public, but its constructor is package-private").isTrue();
    assertThat(PackageStarters.packageOnly(
        Class.forName(ENTRIES + "Clock$UserTimeClock", false, loader()))).isFalse();
    assertThat(PackageStarters.packageOnly(Class.forName(ENTRIES + "Palette", false, loader())))
        .as("private constructor, public static method").isFalse();
  }

  @Test
  void aClassFileThatCannotBeReadIsNotAnswered() throws Exception {
    byte[] classfile;
    try (InputStream in = loader().getResourceAsStream(
        ENTRIES.replace('.', '/') + "Palette.class")) {
      classfile = in.readAllBytes();
    }
    Path garbage = Files.write(dir.resolve("garbage.class"), new byte[] {(byte) 0xCA, 0x0F});
    Defining fromBytes = new Defining(null);
    Defining overGarbage = new Defining(garbage.toUri().toURL());

    assertThat(PackageStarters.packageOnly(fromBytes.define(classfile)))
        .as("defined from bytes: no class file where its loader looks").isNull();
    assertThat(PackageStarters.packageOnly(overGarbage.define(classfile)))
        .as("its loader's class file is not one").isNull();
    assertThat(PackageStarters.packageOnly(List.class)).as("the JDK's").isNull();
  }

  /** Defines classes from bytes, and finds every resource at {@code resource} (null: none). */
  private static final class Defining extends ClassLoader {
    private final URL resource;

    Defining(URL resource) {
      super(ClassLoader.getPlatformClassLoader());
      this.resource = resource;
    }

    Class<?> define(byte[] classfile) {
      return defineClass(null, classfile, 0, classfile.length);
    }

    @Override
    protected URL findResource(String name) {
      return resource;
    }
  }

  private static ClassLoader loader() {
    return PackageStartersTests.class.getClassLoader();
  }
}
