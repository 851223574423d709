package dev.lockguard.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractQueue;
import java.util.Collections;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

class TypeHierarchyTests {
  private final TypeHierarchy hierarchy = new TypeHierarchy(getClass().getClassLoader());

  /** A lock through a JDK superclass. */
  static class CountingLock extends ReentrantLock {}

  /** A lock two levels down, through an application class. */
  static final class NamedCountingLock extends CountingLock {}

  /** A lock through an interface that extends {@code Lock}, after an unrelated interface. */
  interface Fair extends Lock {}

  abstract static class FairLock implements Runnable, Fair {}

  /** A queue through {@code AbstractQueue}. */
  static final class Mailbox extends AbstractQueue<String> {
    @Override
    public Iterator<String> iterator() {
      return Collections.emptyIterator();
    }

    @Override
    public int size() {
      return 0;
    }

    @Override
    public boolean offer(String s) {
      return false;
    }

    @Override
    public String poll() {
      return null;
    }

    @Override
    public String peek() {
      return null;
    }
  }

  private static String internal(Class<?> type) {
    return type.getName().replace('.', '/');
  }

  @Test
  void aTypeIsASubtypeThroughItsSuperclassesAndInterfaces() {
    assertThat(hierarchy.isSubtypeOf(internal(CountingLock.class), Lock.class)).isTrue();
    assertThat(hierarchy.isSubtypeOf(internal(NamedCountingLock.class), Lock.class)).isTrue();
    assertThat(hierarchy.isSubtypeOf(internal(FairLock.class), Lock.class)).isTrue();
    assertThat(hierarchy.isSubtypeOf(internal(Fair.class), Lock.class)).isTrue();
    assertThat(hierarchy.isSubtypeOf(internal(Mailbox.class), Queue.class)).isTrue();
  }

  @Test
  void otherTypesAreNot() {
    assertThat(hierarchy.isSubtypeOf(internal(Mailbox.class), Lock.class)).isFalse();
    assertThat(hierarchy.isSubtypeOf(internal(CountingLock.class), Queue.class)).isFalse();
    assertThat(hierarchy.isSubtypeOf(internal(TypeHierarchyTests.class), Lock.class)).isFalse();
    assertThat(hierarchy.isSubtypeOf(internal(CountingLock.class), Runnable.class))
        .as("asked twice, answered from the loader's answers the second time").isFalse();
  }

  @Test
  void aTypeWhoseClassFileCannotBeFoundIsNoSubtype() {
    assertThat(hierarchy.isSubtypeOf("com/acme/Missing", Lock.class)).isFalse();
    assertThat(new TypeHierarchy(null).isSubtypeOf(internal(CountingLock.class), Lock.class))
        .as("an application class, asked of the boot loader").isFalse();
    assertThat(new TypeHierarchy(null).isSubtypeOf("java/util/concurrent/locks/ReentrantLock",
        Lock.class)).as("a JDK class, asked of the boot loader").isTrue();
  }

  /** A class file with this superclass and the {@code Lock} interface. */
  private static byte[] lockExtending(String name, String superName) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, name, null, superName,
        new String[] {"java/util/concurrent/locks/Lock"});
    writer.visitEnd();
    return writer.toByteArray();
  }

  @Test
  void aSuperclassWhoseClassFileCannotBeFoundMakesTheAnswerFalse() {
    Map<String, byte[]> files = Map.of(
        "com/acme/Orphan.class", lockExtending("com/acme/Orphan", "com/acme/Missing"),
        "com/acme/Adopted.class", lockExtending("com/acme/Adopted", "java/lang/Object"));
    ClassLoader loader = new ClassLoader(null) {
      @Override
      public InputStream getResourceAsStream(String name) {
        byte[] file = files.get(name);
        return file != null ? new ByteArrayInputStream(file) : super.getResourceAsStream(name);
      }
    };
    TypeHierarchy types = new TypeHierarchy(loader);

    assertThat(types.isSubtypeOf("com/acme/Adopted", Lock.class)).isTrue();
    assertThat(types.isSubtypeOf("com/acme/Orphan", Lock.class))
        .as("the superclass is looked at first, and cannot be read").isFalse();
  }

  @Test
  void aLoaderTheApplicationDropsIsNotKeptByItsAnswers() throws InterruptedException {
    Map<String, byte[]> files =
        Map.of("com/acme/Adopted.class", lockExtending("com/acme/Adopted", "java/lang/Object"));
    ClassLoader loader = new ClassLoader(null) {
      @Override
      public InputStream getResourceAsStream(String name) {
        byte[] file = files.get(name);
        return file != null ? new ByteArrayInputStream(file) : super.getResourceAsStream(name);
      }
    };
    assertThat(new TypeHierarchy(loader).isSubtypeOf("com/acme/Adopted", Lock.class)).isTrue();
    WeakReference<ClassLoader> dropped = new WeakReference<>(loader);
    loader = null;

    for (int i = 0; i < 50 && dropped.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(dropped.get()).as("the loader, once the application drops it").isNull();
  }
}
