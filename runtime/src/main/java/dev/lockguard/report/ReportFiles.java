package dev.lockguard.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/** Writes report files so that a reader never sees a half-written one. */
public final class ReportFiles {

  private static final int MAX_TEMP_NAME_ATTEMPTS = 100;

  private ReportFiles() {}

  /**
   * Replaces {@code target} with {@code content} (UTF-8) in one atomic step.
   *
   * <p>The content goes to a temporary file in the same directory, is forced to disk, and is then
   * renamed over the target ({@code ATOMIC_MOVE}, or a plain replacing move where the file system
   * cannot rename atomically). If anything fails the temporary file is deleted and the target is
   * left as it was. Missing parent directories are not created.
   *
   * @throws IOException if the directory does not exist, the target is a directory, or the write
   *     fails
   */
  public static void writeAtomically(Path target, String content) throws IOException {
    Objects.requireNonNull(content, "content");
    Path directory = existingParentDirectory(target);
    if (Files.isDirectory(target)) {
      throw new IOException("cannot write report " + target + ": it is a directory");
    }
    Path temp = createTempFile(directory, target.getFileName().toString());
    boolean moved = false;
    try {
      writeAndForce(temp, content);
      moveOver(temp, target);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
    forceDirectoryBestEffort(directory);
  }

  private static Path existingParentDirectory(Path target) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    if (directory == null || !Files.exists(directory)) {
      throw new IOException(
          "cannot write report " + target + ": directory " + directory + " does not exist");
    }
    if (!Files.isDirectory(directory)) {
      throw new IOException(
          "cannot write report " + target + ": " + directory + " is not a directory");
    }
    return directory;
  }

  /**
   * Creates an empty, new, hidden file beside the target.
   *
   * <p>Not {@link Files#createTempFile}: that makes the file owner-only on POSIX, and the rename
   * would carry those permissions over to the report. A file created here gets the usual ones.
   */
  private static Path createTempFile(Path directory, String targetName) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
      Path temp = directory.resolve("." + targetName + "." + suffix + ".tmp");
      try {
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
            .close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= MAX_TEMP_NAME_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static void writeAndForce(Path file, String content) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
  }

  private static void moveOver(Path temp, Path target) throws IOException {
    try {
      Files.move(
          temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Forces the directory entry of the rename to disk, where the platform allows it.
   *
   * <p>Linux needs this for the rename to survive a power cut; Windows cannot open a directory as
   * a channel at all. The report is already complete and in place, so a failure here is ignored.
   */
  private static void forceDirectoryBestEffort(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Best effort only, see above.
    }
  }
}
