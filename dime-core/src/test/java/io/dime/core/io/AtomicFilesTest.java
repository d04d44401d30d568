package io.dime.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The temporary file beside the target is always a new file: a symbolic link planted under its name
 * (an output folder from someone else, as {@code dime report} is given) is replaced, never written
 * through. It was opened with CREATE and TRUNCATE_EXISTING, following the link, so the link's
 * target (any file of the user's) was overwritten with the run's content.
 */
class AtomicFilesTest {
  @Test
  void aLinkUnderTheTemporaryNameIsNotWrittenThrough(@TempDir Path dir) throws Exception {
    Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me\n");
    Path out = Files.createDirectory(dir.resolve("out"));
    Files.createSymbolicLink(out.resolve("summary.json.tmp"), victim);
    AtomicFiles.writeLines(out.resolve("summary.json"), List.of("{}"));
    assertEquals("keep me\n", Files.readString(victim));
    assertEquals("{}\n", Files.readString(out.resolve("summary.json")));
    assertFalse(Files.isSymbolicLink(out.resolve("summary.json")));
    assertFalse(
        Files.exists(out.resolve("summary.json.tmp"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * A failed write names the file: a full disk's error is only "No space left on device", which the
   * job's message repeated without saying where.
   */
  @Test
  void aFailedWriteNamesItsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("summary.json");
    java.io.IOException e =
        assertThrows(
            java.io.IOException.class,
            () ->
                AtomicFiles.writeBytes(
                    file,
                    out -> {
                      throw new java.io.IOException("No space left on device");
                    }));
    assertEquals(
        "cannot write " + file.toAbsolutePath() + ": No space left on device", e.getMessage());
    assertFalse(Files.exists(dir.resolve("summary.json.tmp")));
    java.nio.file.NoSuchFileException named = new java.nio.file.NoSuchFileException("/x/y");
    assertSame(named, AtomicFiles.naming(file, named), "a message that names its file is kept");
  }
}
