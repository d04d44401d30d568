package io.dime.spi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a manifest field is read: the directory that relative paths resolve against, the record
 * being read (for error messages), and the data root that every file a record names must lie under.
 *
 * <p>A plugin that reads a file a field names goes through {@link #readFile}: the path resolves
 * against {@link #baseDirectory()}, a path that leaves {@link #dataRoot()} (through {@code ..}, an
 * absolute path elsewhere, or a symbolic link) is refused unless outside paths are allowed, and the
 * file's name and bytes join the record's {@link #filesDigest() digest}, so that a job can tell
 * when a record's inputs changed. One context reads one record, on one thread.
 *
 * @since 0.1
 */
public final class ReadContext {
  /** Why a file a field names cannot be read, in words for the user (no absolute paths). */
  public static final class FileException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param reason what is wrong with the file, e.g. "no such file"
     */
    public FileException(String reason) {
      super(reason);
    }
  }

  /** A URL's start, "scheme://" (a Windows drive such as "C:\\" has no "//"). */
  private static final java.util.regex.Pattern URL =
      java.util.regex.Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://");

  private final Path baseDirectory;
  private final String recordId;
  private final Path dataRoot;
  private final boolean allowOutside;
  private final MessageDigest files;
  private int filesRead;

  /**
   * A context whose data root is the base directory itself, outside paths refused.
   *
   * @param baseDirectory the directory relative paths resolve against (the manifest's), not null
   * @param recordId the id of the record being read, not null
   */
  public ReadContext(Path baseDirectory, String recordId) {
    this(baseDirectory, recordId, baseDirectory, false);
  }

  /**
   * A context.
   *
   * @param baseDirectory the directory relative paths resolve against (the manifest's), not null
   * @param recordId the id of the record being read, not null
   * @param dataRoot the folder every named file must lie under, not null
   * @param allowOutside whether files outside the data root may be read
   * @throws NullPointerException naming a null argument
   */
  public ReadContext(Path baseDirectory, String recordId, Path dataRoot, boolean allowOutside) {
    this.baseDirectory = requireNonNull(baseDirectory, "baseDirectory is null");
    this.recordId = requireNonNull(recordId, "recordId is null");
    this.dataRoot = requireNonNull(dataRoot, "dataRoot is null").toAbsolutePath().normalize();
    this.allowOutside = allowOutside;
    try {
      this.files = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }

  /** The directory relative paths resolve against. */
  public Path baseDirectory() {
    return baseDirectory;
  }

  /** The id of the record being read. */
  public String recordId() {
    return recordId;
  }

  /** The folder every named file must lie under (absolute, normalised). */
  public Path dataRoot() {
    return dataRoot;
  }

  /** Whether files outside the data root may be read. */
  public boolean allowOutside() {
    return allowOutside;
  }

  /**
   * Resolves a path a field names against the base directory and checks that it stays under the
   * data root (symbolic links followed), unless outside paths are allowed.
   *
   * @param path the path as the field gives it, not null
   * @return the resolved path
   * @throws FileException when the path is not valid or leaves the data root
   */
  public Path resolve(String path) throws FileException {
    requireNonNull(path, "path is null");
    if (path.isBlank()) {
      throw new FileException("empty path");
    }
    java.util.regex.Matcher url = URL.matcher(path);
    if (url.lookingAt()) {
      // a URL is never fetched; read as a path it would be 'no such file', which hides why
      String scheme = url.group(1).toLowerCase(java.util.Locale.ROOT);
      throw new FileException(
          scheme.equals("file")
              ? "a file URL: give the path itself, without its 'file:' prefix"
              : "a URL ('"
                  + scheme
                  + "'): only local files are read, never anything from the network; save the"
                  + " file under the data root and give its path");
    }
    Path p;
    try {
      p = baseDirectory.resolve(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new FileException("not a valid path (" + e.getReason() + ")");
    }
    if (allowOutside) {
      return p;
    }
    Path root = realRoot();
    if (!p.startsWith(dataRoot) && !p.startsWith(root)) {
      throw new FileException(
          "the path leaves the data root (give the data set's folder as the data root, or allow"
              + " outside paths)");
    }
    if (Files.exists(p)) {
      try {
        if (!p.toRealPath().startsWith(root)) {
          throw new FileException(
              "the path leads, through a symbolic link, outside the data root (allow outside"
                  + " paths to read it)");
        }
      } catch (FileException e) {
        throw e;
      } catch (IOException e) {
        throw new FileException("cannot resolve the path (" + e.getMessage() + ")");
      }
    }
    return p;
  }

  private Path realRoot() {
    try {
      return dataRoot.toRealPath();
    } catch (IOException e) {
      return dataRoot;
    }
  }

  /**
   * Reads a file a field names ({@link #resolve}d), refusing a directory, an empty file or one
   * larger than {@code maxBytes} (by its size, or by the bytes read: one that grows while it is
   * read past the limit is refused, never returned cut; above {@code Integer.MAX_VALUE - 8}, the
   * largest array Java makes, that is the limit), and adds its name and bytes to the record's
   * digest.
   *
   * @param path the path as the field gives it, not null
   * @param maxBytes the largest file accepted
   * @return the file's bytes
   * @throws FileException naming the problem in words
   */
  public byte[] readFile(String path, long maxBytes) throws FileException {
    Path p = resolve(path);
    if (Files.isDirectory(p)) {
      throw new FileException("it is a directory");
    }
    if (!Files.exists(p) && Files.isSymbolicLink(p)) {
      throw new FileException("a symbolic link that leads to no file (a missing target or a loop)");
    }
    if (Files.exists(p) && !Files.isRegularFile(p)) {
      // a FIFO would block the whole job's reading; a device never ends
      throw new FileException("not a regular file (a pipe, socket or device)");
    }
    byte[] bytes;
    try {
      long size = Files.size(p);
      if (size > maxBytes) {
        throw new FileException("the file has " + size + " bytes; the most is " + maxBytes);
      }
      int most = (int) Math.min(maxBytes, Integer.MAX_VALUE - 8);
      if (size > most) {
        // a limit above what one array holds: refused by its size, not read to be found too long
        throw new FileException(
            "the file has "
                + size
                + " bytes; the most is "
                + most
                + " (the largest array Java makes)");
      }
      try (InputStream in = Files.newInputStream(p)) {
        bytes = in.readNBytes(most);
        // one byte past the limit: a file that grew since its size was taken is refused, not cut
        if (in.read() != -1) {
          throw new FileException(
              "more than "
                  + most
                  + " bytes came from it, though its size said "
                  + size
                  + " (it grew while it was read, or its size says less than it holds, as a"
                  + " /proc file's); the most is "
                  + most);
        }
      }
    } catch (NoSuchFileException e) {
      throw new FileException("no such file");
    } catch (AccessDeniedException e) {
      throw new FileException("permission denied");
    } catch (FileException e) {
      throw e;
    } catch (java.nio.file.FileSystemException e) {
      // the reason is the system's words; the message holds the absolute path, not for the record
      String reason = e.getReason();
      throw new FileException(
          "cannot read it (" + (reason != null ? reason : e.getClass().getSimpleName()) + ")");
    } catch (IOException | SecurityException e) {
      throw new FileException("cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length == 0) {
      throw new FileException("the file is empty");
    }
    files.update(path.getBytes(StandardCharsets.UTF_8));
    files.update((byte) 0);
    files.update(bytes);
    filesRead++;
    return bytes;
  }

  /**
   * SHA-256 (hex) over the names and bytes of the files read so far through this context; empty
   * when none was.
   */
  public String filesDigest() {
    if (filesRead == 0) {
      return "";
    }
    try {
      MessageDigest copy = (MessageDigest) files.clone();
      return HexFormat.of().formatHex(copy.digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "ReadContext[record " + recordId + ", base " + baseDirectory + "]";
  }
}
