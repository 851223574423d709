package dev.lockguard.agent.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The report files a command line names: a file as given, a directory as every {@code .json} file
 * below it, in path order (a build's per-JVM reports and the JUnit extension's per-test ones).
 */
final class ReportInputs {
  private ReportInputs() {}

  /**
   * The arguments with each directory replaced by the reports below it.
   *
   * @throws IOException if a directory holds no report or cannot be listed
   */
  static List<String> expand(List<String> arguments) throws IOException {
    List<String> files = new ArrayList<>();
    for (String argument : arguments) {
      Path path;
      try {
        path = Paths.get(argument);
      } catch (InvalidPathException e) {
        files.add(argument); // the reader says it is not a valid path
        continue;
      }
      if (Files.isDirectory(path)) {
        files.addAll(reportsBelow(path, argument));
      } else {
        files.add(argument);
      }
    }
    return files;
  }

  private static List<String> reportsBelow(Path directory, String argument) throws IOException {
    List<String> reports = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.filter(path -> path.getFileName().toString().endsWith(".json"))
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(path -> reports.add(path.toString()));
    }
    if (reports.isEmpty()) {
      throw new IOException(argument + ": no lockguard reports (*.json) in this directory");
    }
    return reports;
  }
}
