package dev.lockguard.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lockguard.report.Report;
import dev.lockguard.report.Violation;
import dev.lockguard.report.Violation.EdgeRef;
import dev.lockguard.report.Violation.Kind;
import dev.lockguard.report.Violation.LockRef;
import dev.lockguard.report.Violation.Severity;
import dev.lockguard.testsupport.RunningJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-initialization detector, end to end: {@code fixtures.agent.classinit} under the
 * shaded agent in forked JVMs. Cycles of initializers that one thread ran without hanging are
 * reported, each once; cycles no second thread can enter are not. The agent patches the bytes
 * of the {@code Shapes} initializers without ASM and rewrites those that take a lock ({@code
 * Shapes$Plugin}, {@code LockShapes}) with ASM: {@code ClinitPatchTests} checks which path each
 * takes, so the findings below come from both.
 */
class ClassInitIT {
  private static final String SHAPES = "fixtures.agent.classinit.Shapes$";
  private static final String TYPE = "class initialization";

  @TempDir static Path dir;
  private static Fixtures.Outcome shapes;

  @BeforeAll
  static void runShapes() throws Exception {
    shapes = Fixtures.runFixture(dir, "", "classinit.Shapes");
  }

  @Test
  void everyShapeIsOneErrorPrintedOnce() {
    assertThat(shapes.report().violations()).as(shapes.result().toString()).hasSize(8)
        .allSatisfy(violation -> {
          assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
          assertThat(violation.severity()).isEqualTo(Severity.ERROR);
          assertThat(violation.threads()).containsExactly("main");
          assertThat(violation.locks()).extracting(LockRef::type).contains(TYPE);
          assertThat(violation.message()).startsWith("Class initialization deadlock")
              .contains("neither ThreadMXBean nor jstack reports the hang",
                  "Seen without a hang in thread \"main\"");
        });
    assertThat(Pattern.compile("Class initialization deadlock: ")
        .matcher(shapes.result().stderr()).results().count()).isEqualTo(7);
    assertThat(Pattern.compile("Class initialization deadlock through a lock: ")
        .matcher(shapes.result().stderr()).results().count()).isEqualTo(1);
  }

  @Test
  void superclassMakingItsSubclassWithoutAnInitializerOfItsOwn() {
    Violation guava = finding("GuavaList");
    assertThat(guava.locks()).extracting(LockRef::name)
        .containsExactly(SHAPES + "GuavaList", SHAPES + "GuavaRegularList");
    assertThat(guava.message()).contains("thread A initializes Shapes$GuavaList and needs"
        + " Shapes$GuavaRegularList (" + line("@guava-empty") + " makes a Shapes$GuavaRegularList);"
        + " thread B initializes Shapes$GuavaRegularList, whose superclass Shapes$GuavaList it"
        + " must initialize first;", "Fix: keep Shapes$GuavaList's initializer from making");
    assertThat(guava.sites()).containsExactly(
        SHAPES + "GuavaList.<clinit>(" + line("@guava-empty") + ")");
    EdgeRef first = guava.edges().get(0);
    assertThat(first.from()).isEqualTo(SHAPES + "GuavaList");
    assertThat(first.to()).isEqualTo(SHAPES + "GuavaRegularList");
    assertThat(first.thread()).isEqualTo("main");
    assertThat(first.heldAt().get(0)).isEqualTo(
        SHAPES + "GuavaList.<clinit>(" + line("@guava-empty") + ")");
    assertThat(first.heldAt()).last().asString().contains("Shapes.main(Shapes.java:");
  }

  @Test
  void anonymousSubclassOfASubclassCarriesTheCycleButStartsNoThread() {
    Violation lucene = finding("TermsEnum");
    assertThat(lucene.locks()).extracting(LockRef::name).containsExactly(SHAPES + "TermsEnum",
        SHAPES + "TermsEnum$1", SHAPES + "BaseTermsEnum");
    assertThat(lucene.message()).contains("thread A initializes Shapes$TermsEnum and needs"
        + " Shapes$TermsEnum$1 (" + line("@lucene-empty") + " makes a Shapes$TermsEnum$1),"
        + " then Shapes$TermsEnum$1, whose superclass Shapes$BaseTermsEnum it must initialize"
        + " first; thread B initializes Shapes$BaseTermsEnum, whose superclass Shapes$TermsEnum"
        + " it must initialize first;");
  }

  /**
   * {@code OffsetEmpty}'s own initializer is inert ({@code InertInitializer}): the agent gives it
   * no hooks, and the cycle comes from {@code AOffset}'s hooks and {@code OffsetEmpty}'s header.
   */
  @Test
  void subclassWithAnInitializerRunsInsideItsSuperclasss() {
    Violation systemds = finding("AOffset");
    assertThat(systemds.locks()).extracting(LockRef::name)
        .containsExactly(SHAPES + "AOffset", SHAPES + "OffsetEmpty");
    assertThat(systemds.message()).contains("thread A initializes Shapes$AOffset and needs"
        + " Shapes$OffsetEmpty (" + line("@systemds-empty") + " makes a Shapes$OffsetEmpty);"
        + " thread B initializes Shapes$OffsetEmpty, whose superclass Shapes$AOffset it must"
        + " initialize first;");
    assertThat(systemds.edges().get(0).acquiredAt().get(0))
        .isEqualTo(SHAPES + "AOffset.<clinit>(" + line("@systemds-empty") + ")");
  }

  @Test
  void staticFieldsReadBothWays() {
    Violation fields = finding("FieldA");
    assertThat(fields.locks()).extracting(LockRef::name)
        .containsExactly(SHAPES + "FieldA", SHAPES + "FieldB");
    assertThat(fields.message()).contains("thread A initializes Shapes$FieldA and needs"
        + " Shapes$FieldB (" + line("@field-a") + " reads Shapes$FieldB.SHARED); thread B"
        + " initializes Shapes$FieldB and needs Shapes$FieldA (" + line("@field-b")
        + " reads Shapes$FieldA.LIMIT);", "Fix: let only one of these initializers touch");
    assertThat(fields.sites()).containsExactly(
        SHAPES + "FieldA.<clinit>(" + line("@field-a") + ")",
        SHAPES + "FieldB.<clinit>(" + line("@field-b") + ")");
  }

  @Test
  void staticMethodsCalledBothWays() {
    Violation calls = finding("CallA");
    assertThat(calls.message()).contains("(" + line("@call-a") + " calls Shapes$CallB.size())",
        "(" + line("@call-b") + " calls Shapes$CallA.size())");
  }

  @Test
  void threeClassesInARing() {
    Violation ring = finding("RingA");
    assertThat(ring.locks()).extracting(LockRef::name)
        .containsExactly(SHAPES + "RingA", SHAPES + "RingB", SHAPES + "RingC");
    assertThat(ring.message()).contains("thread C initializes Shapes$RingC and needs"
        + " Shapes$RingA (" + line("@ring-c") + " reads Shapes$RingA.VALUE)");
    assertThat(ring.edges()).extracting(EdgeRef::from).containsExactly(
        SHAPES + "RingA", SHAPES + "RingB", SHAPES + "RingC");
  }

  @Test
  void interfaceWithDefaultMethodsIsInitializedBeforeItsImplementation() {
    Violation vavr = finding("VavrIterator");
    assertThat(vavr.locks()).extracting(LockRef::name).containsExactly(SHAPES + "VavrIterator",
        SHAPES + "VavrIterator$1", SHAPES + "AbstractVavrIterator");
    assertThat(vavr.message()).contains("thread B initializes Shapes$AbstractVavrIterator, whose"
        + " interface Shapes$VavrIterator declares default methods and must be initialized first");
  }

  @Test
  void lockHeldWhileTouchingAClassWhoseInitializerTakesIt() {
    Violation lock = shapes.report().violations().stream()
        .filter(v -> v.locks().get(0).type().equals("java.lang.Object")).findFirst().orElseThrow();
    assertThat(lock.locks()).containsExactly(
        new LockRef("Shapes$Registry.LOCK", "java.lang.Object"),
        new LockRef(SHAPES + "Plugin", TYPE));
    String touches = "fixtures.agent.classinit.Shapes.main(" + line("@main-touches") + ")";
    String takes = SHAPES + "Plugin.<clinit>(" + line("@plugin-takes") + ")";
    assertThat(lock.message()).isEqualTo("Class initialization deadlock through a lock: thread A"
        + " holds Shapes$Registry.LOCK and needs Shapes$Plugin (at " + touches + "); thread B"
        + " initializes Shapes$Plugin, whose initializer takes Shapes$Registry.LOCK ("
        + line("@plugin-takes") + "); each waits for the other for ever, and neither"
        + " ThreadMXBean nor jstack reports the hang. Seen without a hang in thread \"main\","
        + " which took Shapes$Registry.LOCK again inside the initializer. Fix: initialize"
        + " Shapes$Plugin before taking Shapes$Registry.LOCK, or keep the initializer from taking"
        + " it.");
    assertThat(lock.sites()).containsExactly(touches, takes);
    assertThat(lock.edges()).extracting(EdgeRef::from, EdgeRef::to).containsExactly(
        tuple("Shapes$Registry.LOCK", SHAPES + "Plugin"),
        tuple(SHAPES + "Plugin", "Shapes$Registry.LOCK"));
  }

  @Test
  void lockTakenInAMethodTheInitializerCallsOrThroughLockLock() throws Exception {
    Fixtures.Outcome outcome = Fixtures.runFixture(dir.resolve("locks"), "", "classinit.LockShapes");
    String shapes = "fixtures.agent.classinit.LockShapes";

    assertThat(outcome.report().violations()).as(outcome.result().toString()).hasSize(3)
        .allSatisfy(violation -> {
          assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
          assertThat(violation.severity()).isEqualTo(Severity.ERROR);
          assertThat(violation.threads()).containsExactly("main");
        });
    Violation driver = outcome.report().violations().stream()
        .filter(v -> v.locks().get(0).name().equals("LockShapes.REGISTRY")).findFirst()
        .orElseThrow();
    String touches = shapes + ".main(" + lockLine("@main-driver") + ")";
    assertThat(driver.locks()).containsExactly(new LockRef("LockShapes.REGISTRY",
        "java.lang.Object"), new LockRef(shapes + "$Driver", TYPE));
    assertThat(driver.message()).isEqualTo("Class initialization deadlock through a lock: thread A"
        + " holds LockShapes.REGISTRY and needs LockShapes$Driver (at " + touches + "); thread B"
        + " initializes LockShapes$Driver, whose initializer takes LockShapes.REGISTRY ("
        + lockLine("@driver-takes") + "); each waits for the other for ever, and neither"
        + " ThreadMXBean nor jstack reports the hang. Seen without a hang in thread \"main\","
        + " which took LockShapes.REGISTRY again inside the initializer. Fix: initialize"
        + " LockShapes$Driver before taking LockShapes.REGISTRY, or keep the initializer from"
        + " taking it.");
    assertThat(driver.sites()).containsExactly(touches,
        shapes + "$Driver.add(" + lockLine("@driver-takes") + ")");
    Violation codec = outcome.report().violations().stream()
        .filter(v -> v.locks().get(1).name().equals(shapes + "$Codec")).findFirst()
        .orElseThrow();
    assertThat(codec.locks()).containsExactly(new LockRef("LockShapes.CATALOG",
        "java.util.concurrent.locks.ReentrantLock"), new LockRef(shapes + "$Codec", TYPE));
    assertThat(codec.message()).startsWith("Class initialization deadlock through a lock: thread A"
        + " holds LockShapes.CATALOG and needs LockShapes$Codec (at " + shapes + ".main("
        + lockLine("@main-codec") + ")); thread B initializes LockShapes$Codec, whose initializer"
        + " takes LockShapes.CATALOG (" + lockLine("@codec-takes") + ");");
    Violation index = outcome.report().violations().stream()
        .filter(v -> v.locks().get(1).name().equals(shapes + "$Index")).findFirst()
        .orElseThrow();
    assertThat(index.locks()).containsExactly(new LockRef("LockShapes.CATALOG",
        "java.util.concurrent.locks.ReentrantLock"), new LockRef(shapes + "$Index", TYPE));
    assertThat(index.sites()).containsExactly(shapes + ".main(" + lockLine("@main-index") + ")",
        shapes + "$Index.build(" + lockLine("@index-takes") + ")");
    assertThat(Pattern.compile("Class initialization deadlock through a lock: ")
        .matcher(outcome.result().stderr()).results().count()).isEqualTo(3);
  }

  @Test
  void cyclesNoSecondThreadCanEnterAreSilent() throws Exception {
    Report report = Fixtures.runFixture(dir, "", "classinit.SilentShapes").report();

    assertThat(report.violations()).as("only the control").hasSize(1);
    assertThat(report.violations().get(0).locks()).extracting(LockRef::name).containsExactly(
        "fixtures.agent.classinit.SilentShapes$Left",
        "fixtures.agent.classinit.SilentShapes$Right");
    assertThat(report.violations().get(0).sites()).containsExactly(
        "fixtures.agent.classinit.SilentShapes$Left.<clinit>("
            + Fixtures.lineOf("classinit/SilentShapes", "@control-left") + ")",
        "fixtures.agent.classinit.SilentShapes$Right.<clinit>("
            + Fixtures.lineOf("classinit/SilentShapes", "@control-right") + ")");
  }

  @Test
  void aSubclassOnlyItsPackageCanStartIsAnEntryOnlyWhereOtherCodeOfThePackageStartsIt()
      throws Exception {
    Fixtures.Outcome outcome =
        Fixtures.runFixture(dir.resolve("entries"), "", "classinit.entries.PackageEntries");
    String entries = "fixtures.agent.classinit.entries.PackageEntries$";

    assertThat(outcome.report().violations()).as("Substitutor, CtKind and Transport (jgit's"
        + " transports, started only by their protocols) stay silent: " + outcome.result())
        .hasSize(2).allSatisfy(violation -> {
          assertThat(violation.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
          assertThat(violation.severity()).isEqualTo(Severity.ERROR);
        });
    Violation shade = outcome.report().violations().stream()
        .filter(v -> v.locks().get(0).name().equals(entries + "Shade")).findFirst().orElseThrow();
    assertThat(shade.locks()).containsExactly(new LockRef(entries + "Shade", TYPE),
        new LockRef(entries + "ShadeOfGrey", TYPE));
    assertThat(shade.message()).contains("thread A initializes PackageEntries$Shade and needs"
        + " PackageEntries$ShadeOfGrey (" + entryLine("@shade-black") + " makes a"
        + " PackageEntries$ShadeOfGrey); thread B initializes PackageEntries$ShadeOfGrey (started"
        + " by PackageEntries$Palette, in its package), whose superclass PackageEntries$Shade it"
        + " must initialize first;", "Fix: keep PackageEntries$Shade's initializer from making");
    assertThat(shade.sites())
        .containsExactly(entries + "Shade.<clinit>(" + entryLine("@shade-black") + ")");
    Violation clock = outcome.report().violations().stream()
        .filter(v -> v.locks().get(0).name().equals(entries + "Clock")).findFirst().orElseThrow();
    assertThat(clock.message()).contains("thread A initializes PackageEntries$Clock and needs"
        + " PackageEntries$Clock$UserTimeClock (" + entryLine("@clock-default") + " makes a"
        + " PackageEntries$Clock$UserTimeClock); thread B initializes"
        + " PackageEntries$Clock$UserTimeClock, whose superclass PackageEntries$Clock it must"
        + " initialize first;");
    assertThat(Pattern.compile("Class initialization deadlock: ")
        .matcher(outcome.result().stderr()).results().count()).isEqualTo(2);
  }

  @Test
  void classesWithoutAnInitializerAreReadForTheirEntriesOnlyWhenACycleThroughThemIsReported()
      throws Exception {
    Fixtures.Outcome outcome =
        Fixtures.runFixture(dir.resolve("lazy"), "", "classinit.lazy.LazyEntries");
    String lazy = "fixtures.agent.classinit.lazy.LazyEntries$";
    String makes = lazy + "Registry.<clinit>(" + lazyLine("@registry-empty") + ")";

    assertThat(outcome.report().violations()).as("Codec$Plain (private) and DefaultFormat"
        + " (package-private, made only by Format) stay silent: " + outcome.result()).hasSize(1);
    Violation registry = outcome.report().violations().get(0);
    assertThat(registry.kind()).isEqualTo(Kind.POTENTIAL_DEADLOCK);
    assertThat(registry.severity()).isEqualTo(Severity.ERROR);
    assertThat(registry.threads()).containsExactly("main");
    assertThat(registry.locks()).containsExactly(new LockRef(lazy + "Registry", TYPE),
        new LockRef(lazy + "EmptyRegistry", TYPE), new LockRef(lazy + "Middle", TYPE));
    assertThat(registry.message()).isEqualTo("Class initialization deadlock: thread A initializes"
        + " LazyEntries$Registry and needs LazyEntries$EmptyRegistry (" + lazyLine("@registry-empty")
        + " makes a LazyEntries$EmptyRegistry); thread B initializes LazyEntries$EmptyRegistry,"
        + " whose superclass LazyEntries$Middle it must initialize first; thread C initializes"
        + " LazyEntries$Middle (started by LazyEntries$EmptyRegistry, in its package), whose"
        + " superclass LazyEntries$Registry it must initialize first; each thread holds the"
        + " initialization of its class and waits for the next one's for ever, and neither"
        + " ThreadMXBean nor jstack reports the hang. Seen without a hang in thread \"main\","
        + " which initialized them one inside the other. Fix: keep LazyEntries$Registry's"
        + " initializer from making or touching the class that extends it: move that instance"
        + " into a lazy holder class (a private static nested class whose field holds it) or a"
        + " factory method, or out of LazyEntries$Registry.");
    assertThat(registry.sites()).containsExactly(makes);
    assertThat(registry.edges()).extracting(EdgeRef::from, EdgeRef::to, EdgeRef::thread)
        .containsExactly(tuple(lazy + "Registry", lazy + "EmptyRegistry", "main"),
            tuple(lazy + "EmptyRegistry", lazy + "Middle", "main"),
            tuple(lazy + "Middle", lazy + "Registry", "main"));
    assertThat(registry.edges()).allSatisfy(edge -> {
      assertThat(edge.heldAt().get(0)).isEqualTo(makes);
      assertThat(edge.acquiredAt()).containsExactly(makes);
    });
    assertThat(registry.edges().get(0).heldAt()).containsExactly(makes,
        "fixtures.agent.classinit.lazy.LazyEntries.main(" + lazyLine("@main-registry") + ")");
    assertThat(Pattern.compile("Class initialization deadlock: ")
        .matcher(outcome.result().stderr()).results().count()).isEqualTo(1);
  }

  @Test
  void classinitOffWatchesNoInitializer() throws Exception {
    Report report = Fixtures.runFixture(dir.resolve("off"), "classinit=off", "classinit.Shapes")
        .report();

    assertThat(report.violations()).isEmpty();
  }

  @Test
  void watchdogReportsThreadsReallyHungOnEachOthersInitialization() throws Exception {
    Path reportFile = dir.resolve("init-deadlock.json");
    String outcome;
    String stderr;
    Violation deadlock;
    try (RunningJvm jvm = Fixtures.withAgent("report=" + reportFile) // the default watchdog period
        .start("fixtures.agent.classinit.InitDeadlock")) {
      outcome = jvm.readLine(); // the fixture then waits to be killed
      deadlock = deadlockWrittenTo(reportFile); // by the reporter's thread, a moment later
      stderr = jvm.stderr();
    }

    assertThat(outcome).as(stderr).isEqualTo("DEADLOCK-REPORTED");
    assertThat(deadlock).as(stderr).isNotNull();
    String base = "fixtures.agent.classinit.InitDeadlock$Base";
    String sub = "fixtures.agent.classinit.InitDeadlock$Sub";
    assertThat(deadlock.severity()).isEqualTo(Severity.ERROR);
    assertThat(deadlock.threads()).containsExactlyInAnyOrder("base", "sub");
    assertThat(deadlock.locks()).containsExactlyInAnyOrder(
        new LockRef(base, TYPE), new LockRef(sub, TYPE));
    assertThat(deadlock.message()).startsWith("Deadlock in class initialization: ")
        .contains("\"base\" initializes " + base + " and waits for the initialization of " + sub,
            "\"sub\" initializes " + sub + " and waits for the initialization of " + base,
            "These threads will never proceed");
    assertThat(deadlock.sites()).as("frames written like every other report's: no app//")
        .hasSize(2)
        .anySatisfy(site -> assertThat(site).isEqualTo(base + ".<clinit>("
            + Fixtures.lineOf("classinit/InitDeadlock", "@base-waits") + ")"))
        .anySatisfy(site -> assertThat(site).isEqualTo(
            "fixtures.agent.classinit.InitDeadlock.lambda$main$1("
                + Fixtures.lineOf("classinit/InitDeadlock", "@sub-waits") + ")"));
    assertThat(Pattern.compile("Deadlock in class initialization").matcher(stderr).results()
        .count()).as(stderr).isEqualTo(1);
  }

  /** The one finding whose first lock is {@code Shapes$FIRST}. */
  private static Violation finding(String first) {
    List<Violation> found = shapes.report().violations().stream()
        .filter(v -> v.locks().get(0).name().equals(SHAPES + first)).toList();
    assertThat(found).as(shapes.report().violations().toString()).hasSize(1);
    return found.get(0);
  }

  /**
   * The first {@code DEADLOCK} in the report file once the running JVM's reporter thread has
   * written it, waiting at most ten seconds; null if it never does.
   */
  private static Violation deadlockWrittenTo(Path reportFile) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        Optional<Violation> deadlock = Fixtures.readReport(reportFile).violations().stream()
            .filter(v -> v.kind() == Kind.DEADLOCK).findFirst();
        if (deadlock.isPresent()) {
          return deadlock.get();
        }
      } catch (IOException | RuntimeException | AssertionError notYetWritten) {
        // the file is written whole by a move, but may not exist yet
      }
      Thread.sleep(50);
    }
    return null;
  }

  private static String lockLine(String marker) {
    return Fixtures.lineOf("classinit/LockShapes", marker);
  }

  private static String lazyLine(String marker) {
    return Fixtures.lineOf("classinit/lazy/LazyEntries", marker);
  }

  private static String entryLine(String marker) {
    return Fixtures.lineOf("classinit/entries/PackageEntries", marker);
  }

  private static String line(String marker) {
    return Fixtures.lineOf("classinit/Shapes", marker);
  }
}
