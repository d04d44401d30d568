package io.dime.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files a record names stay under the data root: {@code ..}, absolute paths elsewhere and symbolic
 * links out are refused with words and no absolute path, unless outside paths are allowed; what is
 * read joins the record's digest.
 */
class ReadContextTest {
  @TempDir Path dir;

  private Path data() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "alpha");
    Files.createDirectories(data.resolve("sub"));
    Files.writeString(data.resolve("sub/b.txt"), "beta");
    Files.writeString(dir.resolve("secret.txt"), "secret");
    return data;
  }

  private static String refused(ReadContext ctx, String path) {
    ReadContext.FileException e =
        assertThrows(ReadContext.FileException.class, () -> ctx.readFile(path, 1000));
    assertFalse(e.getMessage().contains("/"), "no paths in the reason: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void pathsThatLeaveTheDataRootAreRefused() throws IOException {
    Path data = data();
    ReadContext ctx = new ReadContext(data, "r");
    assertArrayEquals("alpha".getBytes(), ctx.readFile("a.txt", 1000));
    assertArrayEquals("beta".getBytes(), ctx.readFile("sub/../sub/b.txt", 1000));
    assertArrayEquals(
        "alpha".getBytes(), ctx.readFile(data.resolve("a.txt").toAbsolutePath().toString(), 1000));
    assertTrue(refused(ctx, "../secret.txt").contains("leaves the data root"));
    assertTrue(
        refused(ctx, dir.resolve("secret.txt").toAbsolutePath().toString())
            .contains("leaves the data root"));
    Files.createSymbolicLink(data.resolve("link.txt"), dir.resolve("secret.txt"));
    assertTrue(refused(ctx, "link.txt").contains("symbolic link"));
    assertEquals("no such file", refused(ctx, "missing.txt"));
    assertEquals("it is a directory", refused(ctx, "sub"));
    Files.write(data.resolve("empty.txt"), new byte[0]);
    assertEquals("the file is empty", refused(ctx, "empty.txt"));
    Files.write(data.resolve("big.txt"), new byte[2000]);
    assertEquals("the file has 2000 bytes; the most is 1000", refused(ctx, "big.txt"));

    ReadContext open = new ReadContext(data, "r", data, true);
    assertArrayEquals("secret".getBytes(), open.readFile("../secret.txt", 1000));
    assertArrayEquals("secret".getBytes(), open.readFile("link.txt", 1000));
    ReadContext wider = new ReadContext(data, "r", dir, false);
    assertArrayEquals("secret".getBytes(), wider.readFile("../secret.txt", 1000));
  }

  @Test
  void theDigestCoversTheNamesAndBytesOfTheFilesRead() throws IOException {
    Path data = data();
    ReadContext none = new ReadContext(data, "r");
    assertEquals("", none.filesDigest());
    ReadContext one = new ReadContext(data, "r");
    one.readFile("a.txt", 1000);
    String first = one.filesDigest();
    assertEquals(64, first.length());
    ReadContext again = new ReadContext(data, "r");
    again.readFile("a.txt", 1000);
    assertEquals(first, again.filesDigest());
    Files.writeString(data.resolve("a.txt"), "alphA");
    ReadContext changed = new ReadContext(data, "r");
    changed.readFile("a.txt", 1000);
    assertNotEquals(first, changed.filesDigest());
  }

  /**
   * A URL is refused saying it is one (it read "no such file", which hides why), and so is a
   * symbolic link to nothing (a loop read "cannot read it (FileSystemException)").
   */
  @Test
  void aUrlAndALinkToNothingSayWhatTheyAre() throws IOException {
    Path data = data();
    ReadContext ctx = new ReadContext(data, "r", data, true);
    assertEquals(
        "a URL ('http'): only local files are read, never anything from the network; save the"
            + " file under the data root and give its path",
        refused(ctx, "http://example.com/x.png"));
    assertTrue(refused(ctx, "HTTPS://example.com/x.png").startsWith("a URL ('https')"));
    assertTrue(refused(ctx, "s3://bucket/x.png").startsWith("a URL ('s3')"));
    assertEquals(
        "a file URL: give the path itself, without its 'file:' prefix",
        refused(ctx, "file://" + data.resolve("a.txt")));
    assertEquals("no such file", refused(ctx, "C:\\data\\x.png"), "a Windows path is no URL");
    assertArrayEquals("alpha".getBytes(), ctx.readFile("./a.txt", 1000));
    Files.createSymbolicLink(data.resolve("loop1"), data.resolve("loop2"));
    Files.createSymbolicLink(data.resolve("loop2"), data.resolve("loop1"));
    String noFile = "a symbolic link that leads to no file (a missing target or a loop)";
    assertEquals(noFile, refused(new ReadContext(data, "r"), "loop1"));
    Files.createSymbolicLink(data.resolve("dangling"), data.resolve("gone"));
    assertEquals(noFile, refused(new ReadContext(data, "r"), "dangling"));
  }

  /** A FIFO would block the job's reading forever: it is refused without being opened. */
  @Test
  void aPipeIsNotARegularFileAndIsRefusedUnopened() throws Exception {
    Path data = data();
    Path fifo = data.resolve("pipe.png");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is available");
    ReadContext ctx = new ReadContext(data, "r");
    ReadContext.FileException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ReadContext.FileException.class, () -> ctx.readFile("pipe.png", 1000));
    assertEquals("not a regular file (a pipe, socket or device)", e.getMessage());
  }

  /**
   * A file with more bytes at reading than its size said (one that grew after the size check; here
   * a Linux /proc file, whose size reads 0) is refused, never returned cut at the limit as if
   * whole. Before, the first {@code maxBytes} bytes came back and joined the digest. The message
   * names both causes: it said only that the file grew, which a /proc file had not.
   */
  @Test
  void aFileLargerAtReadingThanItsSizeSaidIsRefusedNotCut() throws IOException {
    Path status = Path.of("/proc/self/status");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(status) && Files.size(status) == 0, "a Linux /proc file");
    ReadContext ctx = new ReadContext(dir, "r", dir, true);
    ReadContext.FileException e =
        assertThrows(ReadContext.FileException.class, () -> ctx.readFile(status.toString(), 16));
    assertEquals(
        "more than 16 bytes came from it, though its size said 0 (it grew while it was read, or"
            + " its size says less than it holds, as a /proc file's); the most is 16",
        e.getMessage());
    assertEquals("", ctx.filesDigest(), "nothing joined the digest");
    assertTrue(ctx.readFile(status.toString(), 1 << 20).length > 16, "read whole under the limit");
  }

  /**
   * A limit above the largest array Java makes (an image's {@code maxPixels} of 20000 x 20000
   * allows 3.2 GB) still refuses, by its size and before reading, a file of more bytes than an
   * array holds. Before, a 2 GiB file passed the size check, 2 GiB were read into the heap, and it
   * was refused as one that "grew while it was read", which it had not. The file is sparse: it
   * takes no disk.
   */
  @Test
  void aFileLargerThanAnArrayHoldsIsRefusedByItsSizeBeforeReading() throws IOException {
    Path big = dir.resolve("big.bin");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(1L << 31);
    }
    ReadContext ctx = new ReadContext(dir, "r");
    ReadContext.FileException e =
        assertThrows(ReadContext.FileException.class, () -> ctx.readFile("big.bin", 3L << 30));
    assertEquals(
        "the file has 2147483648 bytes; the most is 2147483639 (the largest array Java makes)",
        e.getMessage());
    assertEquals("", ctx.filesDigest(), "nothing joined the digest");
  }
}
