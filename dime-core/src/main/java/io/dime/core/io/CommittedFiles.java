package io.dime.core.io;

import io.dime.core.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files committed as class-path resources (the demo's and the experiments' small ONNX models),
 * copied to a file because ONNX Runtime reads files, after their SHA-256 is checked against the
 * digest committed next to them ({@code NAME.sha256}).
 */
public final class CommittedFiles {
  private CommittedFiles() {}

  /**
   * The resource {@code path} (absolute, e.g. "/io/dime/demo/models/fashion_vqa.onnx") as a file
   * under {@code java.io.tmpdir/dime-models}, named by its digest so that two versions never mix.
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
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "dime-models");
      Files.createDirectories(dir);
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
}
