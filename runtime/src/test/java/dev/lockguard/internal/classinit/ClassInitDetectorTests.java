package dev.lockguard.internal.classinit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.internal.FreshRuntime;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The class-initialization detector on classes described as the agent would, their initializers
 * run through the hooks in the order the JVM would run them in one thread. Each test names its
 * own classes: descriptions outlive {@code TestSupport.reset()}, as they outlive nothing in a
 * real JVM.
 */
class ClassInitDetectorTests {
  private static final String[] NONE = {};

  @RegisterExtension final FreshRuntime runtime = new FreshRuntime();

  @Test
  void superclassMakingItsSubclassIsACycleClosedByTheSuperclassStep() {
    int base = described("t1.Base", null, ClassInits.HAS_CLINIT, "t1.Sub", ClassInits.MAKES);
    described("t1.Sub", "t1.Base", 0, null, (byte) 0);

    ClassInitHooks.enter(base);
    ClassInitHooks.exit(base);

    Violation cycle = only();
    assertThat(cycle.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(cycle.severity()).isEqualTo(Severity.ERROR);
    assertThat(cycle.locks()).containsExactly(new LockRef("t1.Base", "class initialization"),
        new LockRef("t1.Sub", "class initialization"));
    assertThat(cycle.sites()).containsExactly("t1.Base.<clinit>(Base.java:7)");
    assertThat(cycle.message()).contains("thread A initializes Base and needs Sub (Base.java:7"
        + " makes a Sub); thread B initializes Sub, whose superclass Base it must initialize"
        + " first;");
  }

  @Test
  void aSubclassNoOtherCodeCanStartIsSilent() {
    int base = described("t2.Base", null, ClassInits.HAS_CLINIT, "t2.Base$1", ClassInits.MAKES);
    described("t2.Base$1", "t2.Base", ClassInits.NOT_AN_ENTRY, null, (byte) 0);

    ClassInitHooks.enter(base);
    ClassInitHooks.exit(base);

    assertThat(runtime.findings()).isEmpty();
  }

  /**
   * A superclass whose initializer makes first a subclass no other code can start, then one any
   * code can (jgit's {@code QuotedString}: the private {@code GitPathStyle}, then the public
   * {@code BourneStyle}). Both cycles close through the superclass; the silent first one must not
   * hide the second.
   */
  @Test
  void aSilentCycleDoesNotHideAnotherThroughTheSameClass() {
    ClassInits.describe("t9.Quoted", "Quoted.java", null, NONE, ClassInits.HAS_CLINIT,
        new String[] {"t9.Quoted$Git", "t9.Quoted$Bourne"}, new String[] {null, null},
        new String[] {"<clinit>", "<clinit>"}, new int[] {7, 8},
        new byte[] {ClassInits.MAKES, ClassInits.MAKES});
    described("t9.Quoted$Git", "t9.Quoted", ClassInits.NOT_AN_ENTRY, null, (byte) 0);
    described("t9.Quoted$Bourne", "t9.Quoted", 0, null, (byte) 0);
    int quoted = ClassInits.reserve("t9.Quoted");

    ClassInitHooks.enter(quoted);
    ClassInitHooks.exit(quoted);

    Violation cycle = only();
    assertThat(cycle.locks()).extracting(LockRef::name)
        .containsExactly("t9.Quoted", "t9.Quoted$Bourne");
    assertThat(cycle.sites()).containsExactly("t9.Quoted.<clinit>(Quoted.java:8)");
  }

  @Test
  void aSubclassOnlyItsPackageStartsIsAnEntryOnlyIfThePackageReaderNamesAStarter() {
    int base = described("t6.Base", null, ClassInits.HAS_CLINIT, "t6.Sub", ClassInits.MAKES);
    described("t6.Sub", "t6.Base", ClassInits.PACKAGE_ENTRY, null, (byte) 0);
    int other = described("t6.Other", null, ClassInits.HAS_CLINIT, "t6.Kid", ClassInits.MAKES);
    described("t6.Kid", "t6.Other", ClassInits.PACKAGE_ENTRY, null, (byte) 0);
    java.util.List<String> asked = new java.util.ArrayList<>();
    Entries.readPackagesWith((className, notCounted) -> {
      asked.add(className + " " + notCounted);
      return className.equals("t6.Kid") ? "t6.Maker" : "";
    });
    try {
      ClassInitHooks.enter(base);
      ClassInitHooks.exit(base);
      assertThat(runtime.findings()).as("no code of t6 but Base's starts Sub").isEmpty();

      ClassInitHooks.enter(other);
      ClassInitHooks.exit(other);
    } finally {
      Entries.readPackagesWith(null);
    }

    assertThat(asked).containsExactly("t6.Sub [t6.Base, t6.Sub]", "t6.Kid [t6.Kid, t6.Other]");
    assertThat(only().message()).contains("thread B initializes Kid (started by Maker, in its"
        + " package), whose superclass Other it must initialize first;");
  }

  @Test
  void withoutAPackageReaderAPackageOnlyClassCountsAsAnEntry() {
    int base = described("t7.Base", null, ClassInits.HAS_CLINIT, "t7.Sub", ClassInits.MAKES);
    described("t7.Sub", "t7.Base", ClassInits.PACKAGE_ENTRY, null, (byte) 0);

    ClassInitHooks.enter(base);
    ClassInitHooks.exit(base);

    assertThat(only().message()).contains("thread B initializes Sub, whose superclass Base");
  }

  @Test
  void nestedInitializersReadingEachOthersFieldsAreOneCycleReportedOnce() {
    int first = described("t3.A", null, ClassInits.HAS_CLINIT, "t3.B", ClassInits.READS);
    int second = described("t3.B", null, ClassInits.HAS_CLINIT, "t3.A", ClassInits.READS);

    ClassInitHooks.enter(first);
    ClassInitHooks.enter(second); // A's initializer reads B's field
    ClassInitHooks.exit(second); // B's read of A's field returned at once: A is in progress
    ClassInitHooks.exit(first);

    assertThat(only().locks()).extracting(LockRef::name).containsExactly("t3.A", "t3.B");
  }

  @Test
  void aClassInitializedBeforeIsNoCycle() {
    int first = described("t4.A", null, ClassInits.HAS_CLINIT, "t4.B", ClassInits.READS);
    int second = described("t4.B", null, ClassInits.HAS_CLINIT, "t4.A", ClassInits.READS);

    ClassInitHooks.enter(second); // B first, alone: its read of A's field ...
    ClassInitHooks.enter(first); // ... runs A's initializer inside it, which reads B's field
    ClassInitHooks.exit(first);
    ClassInitHooks.exit(second);
    int third = described("t4.C", null, ClassInits.HAS_CLINIT, "t4.A", ClassInits.READS);
    ClassInitHooks.enter(third); // C reads A, initialized long ago: no cycle through C
    ClassInitHooks.exit(third);

    assertThat(runtime.findings()).hasSize(1);
    assertThat(only().locks()).extracting(LockRef::name).containsExactly("t4.B", "t4.A");
  }

  @Test
  void anEndWithoutItsStartIsIgnored() {
    int lone = described("t5.A", null, ClassInits.HAS_CLINIT, null, (byte) 0);

    ClassInitHooks.exit(lone);
    ClassInitHooks.enter(lone);
    ClassInitHooks.exit(lone);

    assertThat(runtime.findings()).isEmpty();
  }

  /**
   * A class declared from its header with its class file kept is read when its initializer
   * starts, not before: the reader gets the very class file, once, and the cycle its reading
   * shows is reported as if the class had been described when it was loaded.
   */
  @Test
  void aClassDeclaredUnreadIsReadWhenItsInitializerStarts() {
    byte[] classfile = {1, 2, 3, 4, 5};
    java.util.List<byte[]> read = new java.util.ArrayList<>();
    ClassInits.readWith(bytes -> {
      read.add(bytes);
      described("t8.Base", null, ClassInits.HAS_CLINIT, "t8.Sub", ClassInits.MAKES);
    });
    try {
      long kept = ClassInits.unreadBytes();
      int base = ClassInits.declareInitializer("t8.Base", null, NONE,
          ClassInits.HAS_CLINIT | ClassInits.ENTRY_UNREAD, classfile);
      described("t8.Sub", "t8.Base", 0, null, (byte) 0);
      assertThat(read).as("not read while loading").isEmpty();
      assertThat(ClassInits.unreadBytes()).isEqualTo(kept + classfile.length);

      ClassInitHooks.enter(base);
      ClassInitHooks.exit(base);
      ClassInitHooks.enter(base); // a second start (a test's reset) reads nothing again
      ClassInitHooks.exit(base);

      assertThat(read).containsExactly(classfile);
      assertThat(ClassInits.unreadBytes()).isEqualTo(kept);
    } finally {
      ClassInits.readWith(null);
    }
    Violation cycle = only();
    assertThat(cycle.locks()).containsExactly(new LockRef("t8.Base", "class initialization"),
        new LockRef("t8.Sub", "class initialization"));
    assertThat(cycle.sites()).containsExactly("t8.Base.<clinit>(Base.java:7)");
  }

  /** Declared again (another loader's class of that name): the class file kept is the last. */
  @Test
  void aClassDeclaredTwiceKeepsOneClassFile() {
    java.util.List<byte[]> read = new java.util.ArrayList<>();
    ClassInits.readWith(read::add);
    try {
      long kept = ClassInits.unreadBytes();
      byte[] first = new byte[10];
      byte[] second = new byte[7];
      int id = ClassInits.declareInitializer("t9.Twice", null, NONE, ClassInits.HAS_CLINIT,
          first);
      assertThat(ClassInits.declareInitializer("t9.Twice", null, NONE, ClassInits.HAS_CLINIT,
          second)).isEqualTo(id);
      assertThat(ClassInits.unreadBytes()).isEqualTo(kept + second.length);

      ClassInitHooks.enter(id);
      ClassInitHooks.exit(id);

      assertThat(read).containsExactly(second);
      assertThat(ClassInits.unreadBytes()).isEqualTo(kept);
    } finally {
      ClassInits.readWith(null);
    }
  }

  /**
   * Past the cap on class files kept, a class is read as it is declared; a reader that fails
   * leaves the class with its header's description, and the hook does not throw.
   */
  @Test
  void pastTheCapAClassIsReadAtOnceAndAFailingReadIsContained() {
    java.util.List<Integer> read = new java.util.ArrayList<>();
    ClassInits.readWith(bytes -> read.add(bytes.length));
    try {
      long kept = ClassInits.unreadBytes();
      byte[] huge = new byte[(int) (ClassInits.UNREAD_BYTES - kept) + 1];
      ClassInits.declareInitializer("t10.Huge", null, NONE, ClassInits.HAS_CLINIT, huge);
      assertThat(read).containsExactly(huge.length);
      assertThat(ClassInits.unreadBytes()).isEqualTo(kept);
    } finally {
      ClassInits.readWith(null);
    }
    ClassInits.readWith(bytes -> {
      throw new ArrayIndexOutOfBoundsException("a class file the reader cannot decode");
    });
    try {
      int broken = ClassInits.declareInitializer("t10.Broken", null, NONE,
          ClassInits.HAS_CLINIT, new byte[3]);
      ClassInitHooks.enter(broken);
      ClassInitHooks.exit(broken);
    } finally {
      ClassInits.readWith(null);
    }
    assertThat(runtime.findings()).isEmpty();
  }

  /** Describes a class that touches {@code touched} (or nothing) at line 7; returns its id. */
  private static int described(String name, String superName, int flags, String touched,
      byte how) {
    boolean touches = touched != null;
    String simple = name.substring(name.indexOf('.') + 1).replaceAll("\\$.*", "");
    ClassInits.describe(name, simple + ".java", superName, NONE, flags,
        touches ? new String[] {touched} : NONE, touches ? new String[] {null} : NONE,
        touches ? new String[] {"<clinit>"} : NONE, touches ? new int[] {7} : new int[0],
        touches ? new byte[] {how} : new byte[0]);
    return ClassInits.reserve(name);
  }

  private Violation only() {
    assertThat(runtime.findings()).hasSize(1);
    return runtime.findings().get(0);
  }
}
