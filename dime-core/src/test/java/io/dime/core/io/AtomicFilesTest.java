package io.dime.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
