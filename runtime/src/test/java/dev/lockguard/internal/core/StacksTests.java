package dev.lockguard.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockguard.internal.core.Stacks.Trim;
import org.junit.jupiter.api.Test;

/** The one stack trimmer, on stacks written out frame by frame. */
class StacksTests {
  private static final StackTraceElement HOOK =
      frame(null, "dev.lockguard.internal.lockorder.Hooks", "lock", 70);
  private static final StackTraceElement PARK =
      frame("java.base", "jdk.internal.misc.Unsafe", "park", -2);
  private static final StackTraceElement SYNCHRONIZED_LIST =
      frame("java.base", "java.util.Collections$SynchronizedCollection", "add", 2036);
  private static final StackTraceElement EVENT = frame(null, "dev.lockguard.Event", "await", 80);
  private static final StackTraceElement APP = frame("app", "com.acme.Worker", "run", 42);
  private static final StackTraceElement BRIDGE =
      frame("app", "com.acme.Worker$$Lambda/0x0000000801001234", "run", -1);
  private static final StackTraceElement THREAD_RUN =
      frame("java.base", "java.lang.Thread", "run", 840);

  @Test
  void aHooksStackLosesLockguardsFramesOnlyAndKeepsTheJdksAsTheyAre() {
    StackTraceElement[] stack = {HOOK, SYNCHRONIZED_LIST, APP, THREAD_RUN};

    assertThat(Stacks.trim(stack, Trim.HOOK))
        .containsExactly(SYNCHRONIZED_LIST, APP, THREAD_RUN);
    assertThat(Stacks.trim(stack, Trim.HOOK)[1].toString())
        .isEqualTo("app//com.acme.Worker.run(Worker.java:42)");
  }

  @Test
  void aWaitersStackStartsAtTheApplicationAndIsWrittenAsAHooksStackIs() {
    StackTraceElement[] dump = {dumped(PARK), HOOK, EVENT, APP, BRIDGE, dumped(THREAD_RUN)};
    assertThat(dump[3]).hasToString("app//com.acme.Worker.run(Worker.java:42)");
    assertThat(dump[5]).hasToString("java.base@17.0.15/java.lang.Thread.run(Thread.java:840)");

    assertThat(Stacks.trim(dump, Trim.WAITER)).extracting(StackTraceElement::toString)
        .as("no loader name, no JDK module version, no hidden frames").containsExactly(
            "dev.lockguard.Event.await(Event.java:80)", "com.acme.Worker.run(Worker.java:42)",
            "java.base/java.lang.Thread.run(Thread.java:840)");
  }

  @Test
  void whereALockIsHeldIsItsSiteOnTopOfTheCallersStillOnTheStack() {
    Site site = new Site(7, "com.acme.Worker", "run", "Worker.java", 40, null);
    StackTraceElement[] stack = {APP, THREAD_RUN};

    assertThat(Stacks.heldAt(site, stack)).extracting(StackTraceElement::toString)
        .containsExactly("com.acme.Worker.run(Worker.java:40)",
            "java.base/java.lang.Thread.run(Thread.java:840)");
    Site returned = new Site(8, "com.acme.Pool", "borrow", "Pool.java", 12, null);
    assertThat(Stacks.heldAt(returned, stack)).as("its method returned, holding the lock")
        .extracting(StackTraceElement::toString).containsExactly("com.acme.Pool.borrow(Pool.java:12)");
  }

  @Test
  void aLatchStackAlsoLosesEventsFramesAndIsWrittenPlain() {
    StackTraceElement[] stack = {PARK, HOOK, EVENT, APP, BRIDGE, THREAD_RUN};

    assertThat(Stacks.trim(stack, Trim.LATCH)).extracting(StackTraceElement::toString)
        .containsExactly("com.acme.Worker.run(Worker.java:42)",
            "java.lang.Thread.run(Thread.java:840)");
  }

  @Test
  void aStackWithNothingOfTheApplicationIsKeptWhole() {
    StackTraceElement[] stack = {PARK, THREAD_RUN};

    assertThat(Stacks.trim(stack, Trim.WAITER)).containsExactly(PARK, THREAD_RUN);
  }

  @Test
  void theSiteOfALockTakenInsideTheJdkIsTheApplicationFrameThatCalledIn() {
    StackTraceElement[] stack = {SYNCHRONIZED_LIST, APP, THREAD_RUN};

    assertThat(Stacks.callSite(stack)).isSameAs(APP);
    assertThat(Stacks.callSite(new StackTraceElement[] {APP, THREAD_RUN})).isSameAs(APP);
    assertThat(Stacks.callSite(new StackTraceElement[] {PARK, THREAD_RUN})).isSameAs(PARK);
  }

  @Test
  void theCurrentStackStartsAtItsCaller() {
    StackTraceElement[] stack = Stacks.current(Trim.HOOK);

    // this test class is in lockguard's package too, so its frames are cut: JUnit's come first
    assertThat(stack[0].getClassName()).doesNotStartWith("dev.lockguard.internal.");
    assertThat(stack).noneSatisfy(frame ->
        assertThat(frame.getClassName()).isEqualTo(Stacks.class.getName()));
  }

  /** {@code frame} as a thread dump writes a JDK frame: with its module's version. */
  private static StackTraceElement dumped(StackTraceElement frame) {
    return new StackTraceElement(null, frame.getModuleName(), "17.0.15", frame.getClassName(),
        frame.getMethodName(), frame.getFileName(), frame.getLineNumber());
  }

  /** A frame as the JVM writes it: {@code java.base/...} for the JDK, {@code app//...} else. */
  private static StackTraceElement frame(String loader, String type, String method, int line) {
    String file = type.substring(type.lastIndexOf('.') + 1).replaceAll("\\$.*", "") + ".java";
    boolean jdk = "java.base".equals(loader);
    return new StackTraceElement(jdk ? null : loader, jdk ? "java.base" : null, null, type,
        method, line < 0 ? null : file, line);
  }
}
