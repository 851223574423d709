package dev.lockguard.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkersTests {
  @TempDir Path dir;

  @Test
  void findsTheWholeMarkerWithOrWithoutTextAfterIt() throws Exception {
    Path source = Files.writeString(dir.resolve("Fixture.java"), String.join("\n",
        "class Fixture {",
        "  void a() { lock(); } // @held-left",
        "  void b() { lock(); } // @held",
        "  void c() { tick(); } // @tick: wake the waiters",
        "  void d() { tick(); } // @tick",
        "}"));

    assertThat(Markers.lineOf(source, "@held")).isEqualTo("Fixture.java:3");
    assertThat(Markers.lineOf(source, "@held-left")).isEqualTo("Fixture.java:2");
    assertThat(Markers.lineOf(source, "@tick")).as("the first one").isEqualTo("Fixture.java:4");
  }

  @Test
  void aMissingMarkerFailsNamingTheFile() throws Exception {
    Path source = Files.writeString(dir.resolve("Fixture.java"), "class Fixture {} // @other\n");

    assertThatThrownBy(() -> Markers.lineOf(source, "@missing"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Fixture.java carries the comment // @missing");
  }
}
