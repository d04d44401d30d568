package io.dime.cli; // beside PoolMemoryTest (dime-cli test classes): see BENCHMARKS.md, nineteenth pass

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The pool of README's limits paragraph, as {@code PoolMemoryTest} writes it: a 224 x 224 model
 * (the image's channel means), 10 PNG images, a pool of N records and one record to explain.
 */
public class MakeImagePool {
  public static void main(String[] a) throws Exception {
    Path dir = Files.createDirectories(Path.of(a[0]));
    PoolMemoryTest.write(dir, Integer.parseInt(a[1]));
  }
}
