package dev.lockguard.agent.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a report's frames ({@code StackTraceElement.toString()}: {@code pkg.Type.method(File.java:12)},
 * maybe behind a {@code module/} or {@code loader//} prefix) as source locations, and finds their
 * files under the source roots so that renderings can point into a repository.
 */
final class Frames {
  private static final Pattern FRAME = Pattern.compile(
      "^(?:.*/)?([\\w$.]+)\\.([\\w$<>-]+)\\(([^:()]+\\.java)(?::(\\d+))?\\)$");

  /** A frame as a place in a source file; {@code line} is 0 when unknown. */
  record Location(String className, String method, String packagePath, int line) {
    /** {@code pkg.Type.method}. */
    String qualifiedMethod() {
      return className + "." + method;
    }
  }

  private final List<Path> sourceRoots;
  private final Path base;

  /**
   * @param sourceRoots where to look for a frame's file ({@code src/main/java}, ...)
   * @param base what found files are made relative to (the repository root)
   */
  Frames(List<Path> sourceRoots, Path base) {
    this.sourceRoots = sourceRoots;
    this.base = base.toAbsolutePath().normalize();
  }

  /** The frame as a location, or null if it names no Java source file. */
  static Location parse(String frame) {
    Matcher matcher = FRAME.matcher(frame.trim());
    if (!matcher.matches()) {
      return null;
    }
    String className = matcher.group(1);
    int dot = className.lastIndexOf('.');
    String packageDir = dot < 0 ? "" : className.substring(0, dot).replace('.', '/') + "/";
    int line = matcher.group(4) == null ? 0 : Integer.parseInt(matcher.group(4));
    return new Location(className, matcher.group(2), packageDir + matcher.group(3), line);
  }

  /**
   * The location's file relative to the base, {@code /}-separated, if a source root holds it below
   * the base; else null.
   */
  String find(Location location) {
    for (Path root : sourceRoots) {
      Path file = root.resolve(location.packagePath()).toAbsolutePath().normalize();
      if (Files.isRegularFile(file) && file.startsWith(base)) {
        return base.relativize(file).toString().replace('\\', '/');
      }
    }
    return null;
  }

  Path base() {
    return base;
  }
}
