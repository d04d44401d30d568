package io.dime.demo;

import io.dime.core.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed demo data sets, shipped as class-path folders with an {@code index.txt} that lists
 * their files, and unpacked to a directory so that the command line reads them as a user's files.
 */
public final class DemoData {
  /** The Fashion-MNIST image+question demo: pipeline, manifests, scenes, vocabulary. */
  public static final String FASHION = "fashion";

  private DemoData() {}

  /**
   * Copies the demo folder {@code name} into {@code dir} (created if needed; files already there
   * with the same content are kept) and returns {@code dir}.
   */
  public static Path unpack(String name, Path dir) {
    String base = "/io/dime/demo/" + name + "/";
    List<String> files = new ArrayList<>();
    try (InputStream index = DemoData.class.getResourceAsStream(base + "index.txt")) {
      if (index == null) {
        throw new IllegalArgumentException("no demo data '" + name + "' in the distribution");
      }
      for (String line : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String f = line.strip();
        if (!f.isEmpty()) {
          if (f.startsWith("/") || f.contains("..")) {
            throw new IllegalStateException("bad path in demo index: " + f);
          }
          files.add(f);
        }
      }
      Files.createDirectories(dir);
      for (String f : files) {
        byte[] bytes;
        try (InputStream in = DemoData.class.getResourceAsStream(base + f)) {
          if (in == null) {
            throw new IllegalStateException("demo data '" + name + "' lists a missing file " + f);
          }
          bytes = in.readAllBytes();
        }
        Path out = dir.resolve(f);
        if (Files.exists(out) && Versions.sha256(out).equals(Versions.sha256(bytes))) {
          continue;
        }
        Files.createDirectories(out.getParent());
        Path tmp = Files.createTempFile(out.getParent(), out.getFileName().toString(), ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack demo data " + name + " to " + dir, e);
    }
  }
}
