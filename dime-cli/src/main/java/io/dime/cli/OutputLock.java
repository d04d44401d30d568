package io.dime.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run at a time in an output folder: a lock on {@code OUT/.dime.lock}, held while the run
 * writes and released when it ends (by the operating system too, if the process dies). Two runs
 * into one folder would otherwise both append to its explanations and race on its report.
 */
final class OutputLock implements AutoCloseable {
  static final String FILE = ".dime.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private OutputLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the folder's lock.
   *
   * @throws IllegalArgumentException when another run holds it (a usage error: exit code 2)
   */
  static OutputLock take(Path out) throws IOException {
    return take(out, "wait for it to end, or choose another --out");
  }

  /** {@link #take(Path)}, the refusal ending with {@code advice}. */
  static OutputLock take(Path out, String advice) throws IOException {
    FileChannel ch =
        FileChannel.open(out.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another run in this JVM
    }
    if (lock == null) {
      ch.close();
      throw new IllegalArgumentException(
          "another dime run is writing to "
              + out
              + " (it holds "
              + out.resolve(FILE)
              + "); "
              + advice);
    }
    return new OutputLock(ch, lock);
  }

  /**
   * Takes the folder's lock for reading a finished run while it lets other readers in: {@code dime
   * report} drawing elsewhere. Refused, like {@link #take}, while a run writes there. A folder
   * without the lock file was never written by a run that locks (or by none), so nothing is held.
   *
   * @return the lock, or null when the folder has no lock file
   * @throws IllegalArgumentException when a run holds the lock
   */
  static OutputLock share(Path out) throws IOException {
    Path file = out.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    FileLock lock;
    try {
      lock = ch.tryLock(0, Long.MAX_VALUE, true);
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IllegalArgumentException(
          "a dime run is writing to "
              + out
              + " (it holds "
              + file
              + "); draw its report once it has ended");
    }
    return new OutputLock(ch, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
