package io.dime.cli;

import io.dime.core.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The committed demo models, shipped as class-path resources and copied to a file (ONNX Runtime
 * reads files) after their SHA-256 is checked against the committed digest.
 */
public final class DemoModels {
  private DemoModels() {}

  /** Path of the demo model {@code name} (e.g. "synthetic_mlp.onnx") as a checked file. */
  public static Path file(String name) {
    String base = "/io/dime/demo/models/" + name;
    try (InputStream in = DemoModels.class.getResourceAsStream(base);
        InputStream sha = DemoModels.class.getResourceAsStream(base + ".sha256")) {
      if (in == null) {
        throw new IllegalArgumentException("no demo model '" + name + "' in the distribution");
      }
      byte[] bytes = in.readAllBytes();
      String digest = Versions.sha256(bytes);
      if (sha != null) {
        String expected =
            new String(sha.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")[0];
        if (!expected.equalsIgnoreCase(digest)) {
          throw new IllegalStateException(
              "demo model "
                  + name
                  + " has SHA-256 "
                  + digest
                  + " but "
                  + expected
                  + " was committed");
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
      throw new UncheckedIOException("cannot unpack demo model " + name, e);
    }
  }
}
