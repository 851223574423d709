package dev.lockguard.agent.classinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockguard.agent.Rewriters;
import dev.lockguard.agent.core.ClassFilter;
import dev.lockguard.agent.core.ClassScan;
import dev.lockguard.agent.core.LockTransformer;
import dev.lockguard.agent.core.Rewritten;
import dev.lockguard.agent.latch.LatchTypes;
import dev.lockguard.internal.classinit.ClassInits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * {@link ClinitPatch} on javac's output and on initializers written with ASM in shapes javac does
 * not write: each patched class passes ASM's verifier, the JVM's (it is defined in a fresh loader
 * and initialized) and runs its hooks in order; the transformer takes the patch when it can and
 * ASM's pass when it cannot. Every initializer here touches {@link Touched}, so that none is
 * inert ({@link InertInitializer}): the transformer leaves an inert one as it is.
 */
class ClinitPatchTests {
  private static final String PACKAGE = "dev/lockguard/agent/classinit/";
  private static final String TOUCHED = Type.getInternalName(Touched.class);

  /** Another class each initializer here touches, so that none is inert. */
  public static final class Touched {
    public static int count;

    /** {@link Boolean#getBoolean}. */
    public static boolean none(String property) {
      count++;
      return Boolean.getBoolean(property);
    }
  }

  /** The colours {@link EnumSwitch} switches on. */
  public enum Colour { RED, GREEN, BLUE, CYAN }

  /** A switch on an enum in a loop: a lookup through javac's switch map, a tableswitch, frames. */
  public static final class EnumSwitch {
    public static final int SUM;

    static {
      int sum = 0;
      for (Colour colour : Colour.values()) {
        switch (colour) {
          case RED -> sum += 1;
          case GREEN -> sum += 10;
          case BLUE -> sum += 100;
          default -> sum += 1000;
        }
      }
      SUM = sum;
    }
  }

  /** A switch on a String: a lookupswitch on the hash, then a tableswitch. */
  public static final class StringSwitch {
    public static final int SUM;

    static {
      Touched.count++;
      int sum = 0;
      for (String name : new String[] {"one", "two", "three", "many"}) {
        switch (name) {
          case "one" -> sum += 1;
          case "two" -> sum += 2;
          case "three" -> sum += 3;
          default -> sum += 100;
        }
      }
      SUM = sum;
    }
  }

  /** What {@link Conditional} makes. */
  public static final class Box {
    public final String value;

    public Box(String value) {
      this.value = value;
    }
  }

  /** {@code new Box(cond ? a : b)}: the frames at the join hold an uninitialized Box. */
  public static final class Conditional {
    public static final Box BOX = new Box(Boolean.getBoolean("lockguard.none") ? "a" : "b");
  }

  /** A loop, a handler of its own and a static table. */
  public static final class LoopsAndTable {
    public static final int[] PRIMES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47,
        53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149,
        151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233, 239, 241};
    public static final int SUM;
    public static final String PARSED;

    static {
      Touched.count++;
      int sum = 0;
      for (int prime : PRIMES) {
        sum += prime;
      }
      SUM = sum;
      String parsed;
      try {
        parsed = String.valueOf(Integer.parseInt("x"));
      } catch (NumberFormatException e) {
        parsed = "none";
      }
      PARSED = parsed;
    }
  }

  /** An initializer that throws: the catch-all handler calls exit before the throw goes on. */
  public static final class Throws {
    static {
      if (!Touched.none("lockguard.none")) {
        throw new IllegalStateException("boom");
      }
    }
  }

  @BeforeEach
  void forgetCalls() {
    InitHooksRecorder.CALLS.clear();
  }

  @Test
  void javacInitializersArePatchedAndRunTheirHooksInOrder() throws Exception {
    assertThat(run(EnumSwitch.class).getField("SUM").getInt(null)).isEqualTo(1111);
    assertThat(run(StringSwitch.class).getField("SUM").getInt(null)).isEqualTo(106);
    Object box = run(Conditional.class).getField("BOX").get(null);
    assertThat(box.getClass().getField("value").get(box)).isEqualTo("b");
    Class<?> loopsAndTable = run(LoopsAndTable.class);
    assertThat(loopsAndTable.getField("SUM").getInt(null)).isEqualTo(5830);
    assertThat(loopsAndTable.getField("PARSED").get(null)).isEqualTo("none");
  }

  @Test
  void anInitializerThatThrowsExitsBeforeTheThrow() throws Exception {
    byte[] original = classFile(Throws.class);
    int id = ClassInits.reserve(Throws.class.getName());
    byte[] patched = patched(original, Throws.class.getClassLoader());

    assertThatThrownBy(() -> initialize(Throws.class.getName(), patched))
        .isInstanceOf(ExceptionInInitializerError.class)
        .cause().hasMessage("boom");
    assertThat(InitHooksRecorder.CALLS).containsExactly("enter " + id, "exit " + id);
  }

  /**
   * A tableswitch and a lookupswitch at each of the four alignments, whose cases jump to a
   * return in the middle of the initializer and past it: their padding stays where it was.
   */
  @Test
  void switchesAtEveryAlignmentAndAReturnInTheMiddle() throws Exception {
    for (int nops = 0; nops < 4; nops++) {
      for (int key = 0; key < 4; key++) {
        String name = PACKAGE + "Switches" + nops + "x" + key;
        byte[] original = switches(name, nops, key);
        Class<?> type = run(name, original);
        assertThat(type.getField("RESULT").getInt(null)).as("%d nops, key %d", nops, key)
            .isEqualTo(key == 1 ? 0 : key == 0 ? 1010 : key == 2 ? 1020 : 1030);
      }
    }
  }

  /** 32 KB of static table, jumped over by one branch: patched, and the branch still fits. */
  @Test
  void aLongInitializerIsPatched() throws Exception {
    String name = PACKAGE + "LongTable";
    Class<?> type = run(name, longTable(name, 4000, 0, false));
    int[] table = (int[]) type.getField("TABLE").get(null);
    assertThat(table).hasSize(4000);
    assertThat(table[3999]).isEqualTo(3999 * 7);
  }

  /**
   * A branch of 32,766 bytes over a return, whose exit sequence (4 or 8 bytes) would push it past
   * 32,767: the patch declines, and the transformer rewrites the class with ASM instead (which
   * widens the jump).
   */
  @Test
  void aBranchThatWouldOverflowFallsBackToAsm() throws Exception {
    String name = PACKAGE + "FarJump";
    byte[] original = longTable(name, 4093, 4, true); // 11 + 7 + 8 * 4093 + 4 = 32,766
    ClassReader reader = new ClassReader(original);
    assertThat(patch(original, reader, ClassInits.reserve(name.replace('/', '.'))))
        .as("no patch").isNull();

    Rewritten rewritten =
        Rewritten.of(original, getClass().getClassLoader(), ClassInitClassVisitor.REWRITER)
            .verified();
    assertThat(rewritten.hookCount()).as("enter, exit at both returns and in the handler")
        .isEqualTo(4);
    assertThat(((int[]) rewritten.load().getField("TABLE").get(null))[4092]).isEqualTo(4092 * 7);
  }

  /**
   * Class files older than Java 7: version 49 has no frames at all; a version 50 initializer
   * without a StackMapTable gets one, holding only the handler's frame.
   */
  @Test
  void oldClassFilesWithoutFrames() throws Exception {
    String name49 = PACKAGE + "Old49";
    assertThat(run(name49, loop(name49, Opcodes.V1_5)).getField("RESULT").getInt(null))
        .isEqualTo(45);
    String name50 = PACKAGE + "Old50";
    byte[] original = loop(name50, Opcodes.V1_6);
    assertThat(contains(original, "StackMapTable")).isFalse();
    assertThat(run(name50, original).getField("RESULT").getInt(null)).isEqualTo(45);
    assertThat(contains(patched(original, getClass().getClassLoader()), "StackMapTable"))
        .isTrue();
  }

  /** A monitor in the initializer needs the lock hook: the class goes through ASM's pass. */
  @Test
  void anInitializerThatTakesALockIsLeftToAsm() throws Exception {
    byte[] original = classFile(InitSites.class);
    assertThat(InitDescription.read(new ClassReader(original), true).takesLock()).isTrue();
    assertThat(contains(Rewritten.by(InitSites.class, ClassInitClassVisitor.REWRITER).bytes(),
        "lockInInitializer")).isTrue();
  }

  /**
   * The shapes {@code ClassInitIT} runs in forked JVMs take both paths under the agent's four
   * rewriters: the cycles of {@code Shapes} (fields, calls, a subclass made by its superclass) are
   * reported from patched classes, the lock shapes from classes ASM rewrites with the lock hook.
   */
  @Test
  void theEndToEndShapesTakeBothPaths() throws Exception {
    LockTransformer agent = new LockTransformer(new ClassFilter(List.of(), List.of(), Set.of()),
        Rewriters.of(new LatchTypes(List.of()), true));
    ClassLoader loader = getClass().getClassLoader();
    for (String shape : List.of("Shapes$GuavaList", "Shapes$AOffset", "Shapes$FieldA",
        "Shapes$CallA", "Shapes$RingA", "Shapes$TermsEnum")) {
      byte[] original = resource("fixtures.agent.classinit." + shape);
      ClassReader reader = new ClassReader(original);
      byte[] patch = patch(original, reader,
          ClassInits.reserve(reader.getClassName().replace('/', '.')));
      assertThat(agent.rewrite(original, loader, true)).as(shape).isNotNull().isEqualTo(patch);
    }
    for (String shape : List.of("Shapes$Plugin", "LockShapes$Driver", "LockShapes$Codec")) {
      byte[] original = resource("fixtures.agent.classinit." + shape);
      ClassReader reader = new ClassReader(original);
      byte[] patch = patch(original, reader,
          ClassInits.reserve(reader.getClassName().replace('/', '.')));
      byte[] rewritten = agent.rewrite(original, loader, true);
      assertThat(contains(rewritten, "lockInInitializer")).as(shape).isTrue();
      assertThat(rewritten).as(shape).isNotEqualTo(patch);
    }
  }

  /**
   * Every initializer of six libraries on the test class path (ASM, AssertJ, Byte Buddy, Jackson,
   * two Jetty jars), patched and linked in a fresh loader, which makes the JVM verify it: none
   * fails, and all but a few (type annotations in the code) take the patch. The corpus of the
   * class-loading harness is checked the same way under the agent (docs/performance.md).
   */
  @Test
  void everyInitializerOfLibrariesOnTheClassPathVerifies() throws Exception {
    int patched = 0;
    int declined = 0;
    List<String> failures = new ArrayList<>();
    for (Class<?> library : List.of(ClassReader.class, Assertions.class,
        net.bytebuddy.ByteBuddy.class, tools.jackson.databind.ObjectMapper.class,
        org.eclipse.jetty.util.StringUtil.class, org.eclipse.jetty.server.Server.class)) {
      Map<String, byte[]> classes = new HashMap<>();
      try (JarFile jar = new JarFile(
          new File(library.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
        for (JarEntry entry : Collections.list(jar.entries())) {
          String name = entry.getName();
          if (name.endsWith(".class") && !name.contains("-")) {
            byte[] original = jar.getInputStream(entry).readAllBytes();
            ClassReader reader = new ClassReader(original);
            byte[] patch = ClassScan.declaresMethod(reader, "<clinit>")
                ? patch(original, reader, 40_000) : original; // an ldc_w id
            declined += patch == null ? 1 : 0;
            patched += patch != null && patch != original ? 1 : 0;
            classes.put(reader.getClassName().replace('/', '.'), patch == null ? original : patch);
          }
        }
      }
      ClassLoader loader = new ChildFirst(classes::get);
      for (String name : classes.keySet()) {
        try {
          Class.forName(name, false, loader).getDeclaredFields(); // links, so verifies
        } catch (VerifyError | ClassFormatError e) {
          failures.add(name + ": " + e);
        } catch (LinkageError | ClassNotFoundException e) {
          // an optional dependency not on the class path: not the patch's concern
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(patched).as("initializers patched").isGreaterThan(300);
    assertThat(declined).as("initializers left to ASM").isLessThan(patched / 20);
  }

  /** Patches a class on the class path, checks it and initializes it; returns the class. */
  private static Class<?> run(Class<?> type) throws Exception {
    return run(type.getName().replace('.', '/'), classFile(type));
  }

  /**
   * Patches {@code original}, checks that the transformer takes the patch and ASM's verifier
   * passes it, then defines the patch in a fresh loader with the hooks recorded, initializes it
   * (the JVM verifies it) and checks that {@code enter} and {@code exit} ran in order.
   */
  private static Class<?> run(String name, byte[] original) throws Exception {
    ClassLoader loader = ClinitPatchTests.class.getClassLoader();
    String className = name.replace('/', '.');
    int id = ClassInits.reserve(className);
    byte[] patched = patched(original, loader);
    InitHooksRecorder.CALLS.clear();
    Class<?> type = initialize(className, patched);
    assertThat(InitHooksRecorder.CALLS).as(className).containsExactly("enter " + id, "exit " + id);
    return type;
  }

  /**
   * The patch of {@code original}, which the transformer must return as it is (so it took the
   * patch, not ASM's pass), and which ASM's verifier passes.
   */
  private static byte[] patched(byte[] original, ClassLoader loader) throws Exception {
    ClassReader reader = new ClassReader(original);
    byte[] patched = patch(original, reader,
        ClassInits.reserve(reader.getClassName().replace('/', '.')));
    assertThat(patched).as("patched").isNotNull();
    Rewritten rewritten = Rewritten.of(original, loader, ClassInitClassVisitor.REWRITER);
    assertThat(rewritten.bytes()).as("the transformer's rewrite is the patch").isEqualTo(patched);
    rewritten.verified();
    return patched;
  }

  /**
   * Defines {@code patched}, its hooks' owner renamed to {@link InitHooksRecorder}, and the nested
   * classes of this test in a fresh loader, and initializes it.
   */
  private static Class<?> initialize(String className, byte[] patched) throws Exception {
    byte[] recorded = renameHooks(patched);
    String nested = ClinitPatchTests.class.getName() + "$";
    ClassLoader loader = new ChildFirst(name -> name.equals(className) ? recorded
        : name.startsWith(nested) ? resource(name) : null);
    return Class.forName(className, true, loader);
  }

  private static byte[] renameHooks(byte[] patched) {
    byte[] from = ClinitHooks.HOOKS.getBytes(StandardCharsets.US_ASCII);
    byte[] to = InitHooksRecorder.class.getName().replace('.', '/')
        .getBytes(StandardCharsets.US_ASCII);
    assertThat(to).hasSameSizeAs(from);
    byte[] renamed = patched.clone();
    int at = indexOf(renamed, from);
    assertThat(at).as("the hooks' owner in the constant pool").isPositive();
    System.arraycopy(to, 0, renamed, at, to.length);
    return renamed;
  }

  private static boolean contains(byte[] bytes, String text) {
    return indexOf(bytes, text.getBytes(StandardCharsets.US_ASCII)) >= 0;
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= bytes.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (bytes[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    return resource(type.getName());
  }

  private static byte[] resource(String className) {
    try (InputStream in = ClinitPatchTests.class.getClassLoader()
        .getResourceAsStream(className.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Defines the classes {@code bytesOf} has bytes for itself, first; delegates the others. */
  private static final class ChildFirst extends ClassLoader {
    private final Function<String, byte[]> bytesOf;

    ChildFirst(Function<String, byte[]> bytesOf) {
      super(ClinitPatchTests.class.getClassLoader());
      this.bytesOf = bytesOf;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded != null) {
          return loaded;
        }
        byte[] bytes = bytesOf.apply(name);
        return bytes != null ? defineClass(name, bytes, 0, bytes.length)
            : super.loadClass(name, resolve);
      }
    }
  }

  /** A public class with {@code public static int RESULT} (or {@code int[] TABLE}). */
  private static ClassWriter newClass(String name, int version, int flags, String field,
      String descriptor) {
    ClassWriter writer = new ClassWriter(flags);
    writer.visit(version, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object",
        null);
    writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, field, descriptor, null, null)
        .visitEnd();
    return writer;
  }

  /**
   * {@code nops} nops, then {@code switch (key)}: a tableswitch whose case 1 jumps to a return in
   * the middle, the others to a lookupswitch that adds 1000 + 10 * key to RESULT.
   */
  private static byte[] switches(String name, int nops, int key) {
    ClassWriter writer = newClass(name, Opcodes.V17, ClassWriter.COMPUTE_FRAMES, "RESULT", "I");
    MethodVisitor code = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
    code.visitCode();
    touch(code);                                             // 4 bytes: the alignments stay
    for (int i = 0; i < nops; i++) {
      code.visitInsn(Opcodes.NOP);
    }
    Label early = new Label();
    Label rest = new Label();
    Label zero = new Label();
    Label two = new Label();
    Label three = new Label();
    Label store = new Label();
    code.visitLdcInsn(key);                                  // Stack[1]: I
    code.visitTableSwitchInsn(0, 1, rest, rest, early);      // switch (key) { case 1: return; }
    code.visitLabel(early);
    code.visitInsn(Opcodes.RETURN);
    code.visitLabel(rest);
    code.visitInsn(Opcodes.NOP);
    code.visitLdcInsn(key);                                  // Stack[1]: I
    code.visitLookupSwitchInsn(three, new int[] {0, 2}, new Label[] {zero, two});
    code.visitLabel(zero);
    code.visitIntInsn(Opcodes.SIPUSH, 1010);
    code.visitJumpInsn(Opcodes.GOTO, store);
    code.visitLabel(two);
    code.visitIntInsn(Opcodes.SIPUSH, 1020);
    code.visitJumpInsn(Opcodes.GOTO, store);
    code.visitLabel(three);
    code.visitIntInsn(Opcodes.SIPUSH, 1030);
    code.visitLabel(store);
    code.visitFieldInsn(Opcodes.PUTSTATIC, name, "RESULT", "I");
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(0, 0);
    code.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  /**
   * {@code TABLE = new int[entries]}, each entry {@code 7 * i} (8 bytes of code each), then
   * {@code padding} nops, all jumped over when {@code Touched.none("lockguard.none")}: a
   * jump of {@code 11 + 8 * entries + padding} bytes; with {@code earlyReturn}, 7 bytes more,
   * for a return between the jump and the table.
   */
  private static byte[] longTable(String name, int entries, int padding, boolean earlyReturn) {
    ClassWriter writer = newClass(name, Opcodes.V17, ClassWriter.COMPUTE_FRAMES, "TABLE", "[I");
    MethodVisitor code = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
    code.visitCode();
    Label end = new Label();
    code.visitLdcInsn("lockguard.none");
    code.visitMethodInsn(Opcodes.INVOKESTATIC, TOUCHED, "none", "(Ljava/lang/String;)Z", false);
    code.visitJumpInsn(Opcodes.IFNE, end);                   // the far jump
    if (earlyReturn) {
      Label table = new Label();
      code.visitFieldInsn(Opcodes.GETSTATIC, name, "TABLE", "[I");
      code.visitJumpInsn(Opcodes.IFNULL, table);
      code.visitInsn(Opcodes.RETURN);                        // never taken: TABLE is null
      code.visitLabel(table);
    }
    code.visitIntInsn(Opcodes.SIPUSH, entries);
    code.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_INT);
    for (int i = 0; i < entries; i++) {
      code.visitInsn(Opcodes.DUP);                           // Stack[2]: [I, [I
      code.visitIntInsn(Opcodes.SIPUSH, i);
      code.visitIntInsn(Opcodes.SIPUSH, 7 * i);
      code.visitInsn(Opcodes.IASTORE);                       // TABLE[i] = 7 * i;
    }
    code.visitFieldInsn(Opcodes.PUTSTATIC, name, "TABLE", "[I");
    for (int i = 0; i < padding; i++) {
      code.visitInsn(Opcodes.NOP);
    }
    code.visitLabel(end);
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(0, 0);
    code.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  /**
   * {@code Touched.count; for (int i = 0; i < 10; i++) RESULT += i;} in a class file of {@code
   * version}.
   */
  private static byte[] loop(String name, int version) {
    ClassWriter writer = newClass(name, version, ClassWriter.COMPUTE_MAXS, "RESULT", "I");
    MethodVisitor code = writer.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
    code.visitCode();
    Label test = new Label();
    Label body = new Label();
    touch(code);
    code.visitInsn(Opcodes.ICONST_0);
    code.visitVarInsn(Opcodes.ISTORE, 0);                    // int i = 0;
    code.visitJumpInsn(Opcodes.GOTO, test);
    code.visitLabel(body);
    code.visitFieldInsn(Opcodes.GETSTATIC, name, "RESULT", "I");
    code.visitVarInsn(Opcodes.ILOAD, 0);
    code.visitInsn(Opcodes.IADD);
    code.visitFieldInsn(Opcodes.PUTSTATIC, name, "RESULT", "I"); // RESULT += i;
    code.visitIincInsn(0, 1);
    code.visitLabel(test);
    code.visitVarInsn(Opcodes.ILOAD, 0);
    code.visitIntInsn(Opcodes.BIPUSH, 10);
    code.visitJumpInsn(Opcodes.IF_ICMPLT, body);
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(0, 0);
    code.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** {@code Touched.count;} as a statement: 4 bytes of code that read another class's field. */
  private static void touch(MethodVisitor code) {
    code.visitFieldInsn(Opcodes.GETSTATIC, TOUCHED, "count", "I");
    code.visitInsn(Opcodes.POP);
  }

  /** {@link ClinitPatch#patch} with the initializer's code found as the rewriter finds it. */
  private static byte[] patch(byte[] original, ClassReader reader, int id) {
    return ClinitPatch.patch(original, reader,
        InitDescription.read(reader, true).initializerCode(), id);
  }
}
