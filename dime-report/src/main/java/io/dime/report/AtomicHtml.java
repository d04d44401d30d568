package io.dime.report;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One page written so that a reader never sees half of it: into {@code NAME.tmp} beside it, forced
 * to the disk, then renamed over the target in one step, the folder forced too ({@link #commit});
 * closed without a commit, the temporary file is deleted and the target left as it was. Text is
 * written as UTF-8 with what UTF-8 cannot hold (an unpaired surrogate) replaced, never failing half
 * way.
 */
final class AtomicHtml implements Closeable {
  private final Path target;
  private final Path tmp;
  private final FileChannel channel;
  private final OutputStream out;
  private boolean done;

  private AtomicHtml(Path target, Path tmp, FileChannel channel) {
    this.target = target;
    this.tmp = tmp;
    this.channel = channel;
    this.out =
        new BufferedOutputStream(
            new NamedStream(Channels.newOutputStream(channel), target), 1 << 16);
  }

  /** Starts the page that will replace {@code file}; its folder must exist. */
  static AtomicHtml create(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    // a new file, never one already there: a symbolic link planted under the temporary name in a
    // run folder from someone else would have had its target overwritten with the page
    Files.deleteIfExists(tmp);
    FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new AtomicHtml(abs, tmp, ch);
  }

  /** The bytes go here (buffered; the stream must not be closed). */
  OutputStream stream() {
    return out;
  }

  void write(CharSequence text) throws IOException {
    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Appends the bytes {@code [start, end)} of another file. */
  void copy(Path from, long start, long end) throws IOException {
    out.flush();
    try (FileChannel src = FileChannel.open(from, StandardOpenOption.READ)) {
      long at = start;
      while (at < end) {
        long n;
        try {
          n = src.transferTo(at, end - at, channel);
        } catch (IOException e) {
          throw NamedStream.naming(target, e);
        }
        if (n <= 0) {
          throw new IOException(from + " ends before byte " + end);
        }
        at += n;
      }
    }
  }

  /** Forces the page to the disk and renames it over the target. */
  void commit() throws IOException {
    out.flush();
    try {
      channel.force(true);
    } catch (IOException e) {
      throw NamedStream.naming(target, e);
    }
    out.close();
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    done = true;
    forceFolder(target.getParent());
  }

  /** Forces the folder's entries (the rename) to the disk, where the file system allows it. */
  private static void forceFolder(Path folder) {
    try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every platform opens a folder as a channel (Windows); the rename is still atomic
    }
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      try {
        out.close();
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
