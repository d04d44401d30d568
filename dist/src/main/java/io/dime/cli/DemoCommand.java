package io.dime.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dime demo}: the bundled demo. Until the image+question demo exists it runs the paper's
 * synthetic experiment on the committed MLP with a small number of points.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "demo",
    description = "Run the bundled demo (the synthetic experiment, 40 points).")
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
      var node = io.dime.core.io.Json.mapper().readTree(json.toFile());
      System.out.printf(
          "Synthetic task, %d test points, model test accuracy %.4f%n",
          node.get("points").asInt(), node.get("modelAccuracy").asDouble());
      System.out.println("Mean correlation of each explanation's weights with the ground truth:");
      System.out.printf("  %-6s %8s %8s %8s%n", "", "d1", "d2", "d1*d2");
      var c = node.get("correlations");
      for (String row : new String[] {"UC1", "UC2", "MI1", "MI2", "LIME1", "LIME2"}) {
        System.out.printf(
            "  %-6s %8.3f %8.3f %8.3f%n",
            row,
            c.at("/" + row + "/d1").asDouble(),
            c.at("/" + row + "/d2").asDouble(),
            c.at("/" + row + "/d1*d2").asDouble());
      }
      System.out.println("demo results: " + json.toAbsolutePath());
    }
    return rc;
  }
}
