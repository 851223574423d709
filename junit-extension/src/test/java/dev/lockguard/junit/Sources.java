package dev.lockguard.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds fixture source lines by their {@code // @marker} comments, for asserting report sites. */
final class Sources {
  private static final Path FIXTURES = Path.of("src/test/java/fixtures");

  private Sources() {}

  /** The 1-based line of {@code fixtures/FILE} that carries {@code // @marker}. */
  static int lineOf(String file, String marker) {
    try {
      List<String> lines = Files.readAllLines(FIXTURES.resolve(file));
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).endsWith("// " + marker)) {
          return i + 1;
        }
      }
      throw new IllegalArgumentException("no line in " + file + " ends with // " + marker);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The report's frame for the line of {@code fixtures.CLASS.METHOD} that carries the marker. */
  static String frame(String className, String method, String marker) {
    return "fixtures." + className + "." + method + "(" + className + ".java:"
        + lineOf(className + ".java", marker) + ")";
  }
}
