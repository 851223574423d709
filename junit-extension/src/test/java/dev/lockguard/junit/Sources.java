package dev.lockguard.junit;

import dev.lockguard.testsupport.Markers;
import java.nio.file.Path;

/** Report frames of fixture source lines found by their {@code // @marker} comments. */
final class Sources {
  private static final Path FIXTURES = Path.of("src/test/java/fixtures/junit");

  private Sources() {}

  /**
   * The report's frame for the line of {@code fixtures.junit.CLASS.METHOD} that carries the
   * marker.
   */
  static String frame(String className, String method, String marker) {
    return "fixtures.junit." + className + "." + method + "("
        + Markers.lineOf(FIXTURES.resolve(className + ".java"), marker) + ")";
  }
}
