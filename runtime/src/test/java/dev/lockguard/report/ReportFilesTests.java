package dev.lockguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTests {

  @TempDir Path dir;

  @Test
  void writesANewFileAsUtf8() throws IOException {
    Path target = dir.resolve("report.json");

    ReportFiles.writeAtomically(target, "{\"name\": \"Zoë \uD83D\uDE00\"}\n");

    assertThat(Files.readString(target, StandardCharsets.UTF_8))
        .isEqualTo("{\"name\": \"Zoë \uD83D\uDE00\"}\n");
    assertThat(filesIn(dir)).containsExactly("report.json");
  }

  @Test
  void replacesAnExistingFileAndLeavesNoTempFiles() throws IOException {
    Path target = dir.resolve("report.json");
    Files.writeString(target, "old content that is longer than the new one");

    ReportFiles.writeAtomically(target, "new");

    assertThat(Files.readString(target)).isEqualTo("new");
    assertThat(filesIn(dir)).containsExactly("report.json");
  }

  @Test
  void aMissingDirectoryIsAnErrorNotCreated() {
    Path target = dir.resolve("missing").resolve("report.json");

    assertThatThrownBy(() -> ReportFiles.writeAtomically(target, "x"))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "cannot write report " + target + ": directory " + target.getParent()
                + " does not exist");
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  @Test
  void aParentThatIsAFileIsAnError() throws IOException {
    Path file = Files.writeString(dir.resolve("plain"), "x");

    assertThatThrownBy(() -> ReportFiles.writeAtomically(file.resolve("report.json"), "x"))
        .isInstanceOf(IOException.class)
        .hasMessageEndingWith(file + " is not a directory");
  }

  @Test
  void aTargetThatIsADirectoryIsAnErrorAndLeavesNoTempFiles() throws IOException {
    Path target = Files.createDirectory(dir.resolve("report.json"));

    assertThatThrownBy(() -> ReportFiles.writeAtomically(target, "x"))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot write report " + target + ": it is a directory");
    assertThat(filesIn(dir)).containsExactly("report.json");
  }

  @Test
  void aConcurrentReaderOnlyEverSeesACompleteFile() throws Exception {
    Path target = dir.resolve("report.json");
    String small = "a".repeat(10);
    String large = "b".repeat(256 * 1024);
    ReportFiles.writeAtomically(target, small);
    AtomicBoolean done = new AtomicBoolean();
    List<String> torn = new ArrayList<>();
    Thread reader = new Thread(() -> readUntilDone(target, done, small, large, torn));
    reader.start();

    for (int i = 0; i < 20; i++) {
      ReportFiles.writeAtomically(target, i % 2 == 0 ? large : small);
    }
    done.set(true);
    reader.join();

    assertThat(torn).isEmpty();
    assertThat(filesIn(dir)).containsExactly("report.json");
  }

  private static void readUntilDone(
      Path target, AtomicBoolean done, String small, String large, List<String> torn) {
    while (!done.get()) {
      try {
        String seen = Files.readString(target);
        if (!seen.equals(small) && !seen.equals(large)) {
          torn.add("length " + seen.length());
        }
      } catch (IOException e) {
        torn.add(e.toString());
      }
    }
  }

  private static List<String> filesIn(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
