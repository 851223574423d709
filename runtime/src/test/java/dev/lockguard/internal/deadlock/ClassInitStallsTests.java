package dev.lockguard.internal.deadlock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the watchdog reads which class each thread waits to see initialized from the JVM's thread
 * dump, in the formats of JDK 17 and JDK 25 (thread dumps taken from a real class-initialization
 * deadlock, shortened).
 */
class ClassInitStallsTests {
  @Test
  void readsTheClassEachThreadWaitsForInTheDumpsOfJdk17And25() {
    String jdk17 = """
        "t-base" #12 prio=5 os_prio=0 cpu=0.26ms nid=0x20df in Object.wait()
           java.lang.Thread.State: RUNNABLE
        \tat Exp$Base.<clinit>(Exp.java:3)
        \t- waiting on the Class initialization monitor for Exp$Sub
        \tat Exp.lambda$main$0(Exp.java:7)

        "t-sub" #13 prio=5 os_prio=0 cpu=0.24ms nid=0x20e0 in Object.wait()
           java.lang.Thread.State: RUNNABLE
        \tat Exp.lambda$main$1(Exp.java:8)
        \t- waiting on the Class initialization monitor for Exp$Base

        "idle" #14 prio=5 os_prio=0 cpu=0.10ms nid=0x20e1 runnable
           java.lang.Thread.State: RUNNABLE
        \tat java.net.SocketInputStream.socketRead0(Native Method)
        """;
    String jdk25 = jdk17.replace("\" #12 ", "\" #22 [8523] ").replace("\" #13 ", "\" #23 [8524] ")
        .replace("\" #14 ", "\" #24 [8525] ");

    assertThat(ClassInitStalls.waitsIn(jdk17)).isEqualTo(Map.of(12L, "Exp$Sub", 13L, "Exp$Base"));
    assertThat(ClassInitStalls.waitsIn(jdk25)).isEqualTo(Map.of(22L, "Exp$Sub", 23L, "Exp$Base"));
  }

  @Test
  void aDumpWithoutClassInitializationWaitsNamesNoThread() {
    String dump = "\"main\" #1 prio=5 runnable\n\tat Main.main(Main.java:1)\n";

    assertThat(ClassInitStalls.waitsIn(dump)).isEmpty();
  }
}
