package io.dime.core.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes a file so that a reader never sees half of it: into a temporary file beside it, forced to
 * the disk, then renamed over the target in one step.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Something that writes the file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer out) throws IOException;
  }

  /** Replaces {@code file} with the given lines (UTF-8, each ending in a newline). */
  public static void writeLines(Path file, List<String> lines) throws IOException {
    write(
        file,
        w -> {
          for (String line : lines) {
            w.write(line);
            w.write('\n');
          }
        });
  }

  /** Something that writes the file's content as bytes. */
  @FunctionalInterface
  public interface Bytes {
    void writeTo(FileChannel out) throws IOException;
  }

  /** Replaces {@code file} with what {@code content} writes (UTF-8). */
  public static void write(Path file, Content content) throws IOException {
    writeBytes(
        file,
        ch -> {
          // An OutputStreamWriter replaces what UTF-8 cannot encode (a lone surrogate) instead of
          // failing half way through a line. Flushed, not closed: the channel is closed below.
          Writer w =
              new java.io.BufferedWriter(
                  new java.io.OutputStreamWriter(
                      java.nio.channels.Channels.newOutputStream(ch), StandardCharsets.UTF_8));
          content.writeTo(w);
          w.flush();
        });
  }

  /** Replaces {@code file} with the bytes {@code content} writes to the temporary file. */
  public static void writeBytes(Path file, Bytes content) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    try {
      // a new file, never one already there: a symbolic link planted under the temporary name in
      // an output folder from someone else would have had its target overwritten
      Files.deleteIfExists(tmp);
      try (FileChannel out =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        content.writeTo(out);
        out.force(true);
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw naming(abs, e);
    } catch (RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /**
   * {@code e} as it is when it names a file, else with {@code file} named: a write that fails for
   * want of space says only "No space left on device".
   *
   * @param file the file being written
   * @param e its failure
   */
  public static IOException naming(Path file, IOException e) {
    if (e instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
      return e;
    }
    return new IOException("cannot write " + file + ": " + e.getMessage(), e);
  }
}
