package io.dime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dime demo}: the bundled demo. Until the image+question demo exists it runs the paper's
 * synthetic experiment on the committed MLP with a small number of points.
 */
@Command(name = "demo", description = "Run the bundled demo (the synthetic experiment, 40 points).")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "dime-out", description = "output directory")
  Path out;

  @Option(names = "--points", defaultValue = "40")
  int points;

  @Override
  public Integer call() throws Exception {
    Path json = out.resolve("synthetic-demo.json");
    int rc =
        Main.run(
            "reproduce",
            "synthetic",
            "--points",
            Integer.toString(points),
            "--samples",
            "1000",
            "--references",
            "100",
            "--json",
            json.toString());
    if (rc == 0) {
      System.out.println("demo results: " + json.toAbsolutePath());
    }
    return rc;
  }
}
