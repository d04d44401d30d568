package io.dime.core.io;

import io.dime.core.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files committed as class-path resources (the demo's and the experiments' small ONNX models),
 * copied to a file because ONNX Runtime reads files, after their SHA-256 is checked against the
 * digest committed next to them ({@code NAME.sha256}).
 */
public final class CommittedFiles {
  private CommittedFiles() {}

  /**
   * The resource {@code path} (absolute, e.g. "/io/dime/demo/models/fashion_vqa.onnx") as a file
   * under {@link #privateDir privateDir("models")}, named by its digest so that two versions never
   * mix.
   *
   * @param anchor a class whose class loader sees the resource
   * @throws IllegalArgumentException when there is no such resource
   * @throws IllegalStateException when the bytes do not match the committed digest
   */
  public static Path file(Class<?> anchor, String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    try (InputStream in = anchor.getResourceAsStream(path);
        InputStream sha = anchor.getResourceAsStream(path + ".sha256")) {
      if (in == null) {
        throw new IllegalArgumentException("no committed file " + path + " on the class path");
      }
      byte[] bytes = in.readAllBytes();
      String digest = Versions.sha256(bytes);
      if (sha != null) {
        String expected =
            new String(sha.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")[0];
        if (!expected.equalsIgnoreCase(digest)) {
          throw new IllegalStateException(
              name + " has SHA-256 " + digest + " but " + expected + " was committed");
        }
      }
      Path dir = privateDir("models");
      Path out = dir.resolve(digest + "-" + name);
      if (!Files.exists(out) || !Versions.sha256(out).equals(digest)) {
        Path tmp = Files.createTempFile(dir, name, ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + path, e);
    }
  }

  /**
   * A folder {@code name} of the current user's under {@code java.io.tmpdir/dime-USER}, created
   * with permissions 700 where the file system has them. A shared {@code /tmp/dime-models} was
   * refused to the second user of a machine (the first one's folder, 755), and let anyone who made
   * it first swap a model between its digest check and its load. When {@code dime-USER} is not a
   * folder owned by this user that others cannot write (made by someone else, or a link), a fresh
   * private folder of this process's is used instead.
   */
  public static Path privateDir(String name) {
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "dime-" + user);
    try {
      boolean posix =
          Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir")))
              .supportsFileAttributeView(PosixFileAttributeView.class);
      if (posix) {
        if (!Files.exists(base, LinkOption.NOFOLLOW_LINKS)) {
          try {
            Files.createDirectory(
                base,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
          } catch (java.nio.file.FileAlreadyExistsException raced) {
            // made meanwhile: checked below like any other
          }
        }
        if (!ownPrivate(base)) {
          base = processDir();
        }
      }
      Path dir = base.resolve(name);
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a folder for " + name + " under " + base, e);
    }
  }

  private static Path processDir;

  private static synchronized Path processDir() throws IOException {
    if (processDir == null) {
      processDir = Files.createTempDirectory("dime-"); // 700 on POSIX
    }
    return processDir;
  }

  /** A real folder (not a link) owned by this user that neither its group nor others can write. */
  private static boolean ownPrivate(Path dir) throws IOException {
    PosixFileAttributes a =
        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isDirectory()) {
      return false;
    }
    Path probe = Files.createTempFile("dime-owner", ".probe");
    try {
      if (!a.owner().equals(Files.getOwner(probe))) {
        return false;
      }
    } finally {
      Files.deleteIfExists(probe);
    }
    Set<PosixFilePermission> p = a.permissions();
    return !p.contains(PosixFilePermission.GROUP_WRITE)
        && !p.contains(PosixFilePermission.OTHERS_WRITE);
  }
}
