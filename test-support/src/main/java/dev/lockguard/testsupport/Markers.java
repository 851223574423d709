package dev.lockguard.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the source line a {@code // @marker} comment marks, so that tests assert report sites
 * without writing line numbers down.
 */
public final class Markers {
  private Markers() {}

  /**
   * {@code File.java:N}, as a stack frame shows it, for the first line of {@code source} that
   * carries the comment {@code // MARKER}. The marker counts whole: {@code @held} does not find
   * {@code // @held-left}; text may follow it ({@code // @tick: wake the waiters}).
   */
  public static String lineOf(Path source, String marker) {
    Pattern comment = Pattern.compile(Pattern.quote("// " + marker) + "(?![\\w-])");
    List<String> lines = read(source);
    for (int i = 0; i < lines.size(); i++) {
      if (comment.matcher(lines.get(i)).find()) {
        return source.getFileName() + ":" + (i + 1);
      }
    }
    throw new AssertionError("no line of " + source + " carries the comment // " + marker);
  }

  private static List<String> read(Path source) {
    try {
      return Files.readAllLines(source);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the fixture source " + source, e);
    }
  }
}
