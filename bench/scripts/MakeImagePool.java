package io.dime.cli; // beside TinyOnnx (dime-cli test classes): see BENCHMARKS.md, nineteenth pass

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** The 5,000-image pool of README's limits paragraph: PoolMemoryTest's files, n records. */
public class MakeImagePool {
  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[0]);
    int n = Integer.parseInt(a[1]);
    Files.createDirectories(dir);
    new TinyOnnx()
        .input("image", TinyOnnx.FLOAT, "batch", 3L, 224L, 224L)
        .input("x", TinyOnnx.FLOAT, "batch", 2L)
        .node("ReduceMean", "image", "y", Map.of("axes", new long[] {2, 3}, "keepdims", 0L))
        .output("y", TinyOnnx.FLOAT, "batch", 3L)
        .write(dir.resolve("m.onnx"));
    SplittableRandom rng = new SplittableRandom(21);
    for (int i = 0; i < 10; i++) {
      BufferedImage b = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 224; y++) {
        for (int x = 0; x < 224; x++) {
          b.setRGB(x, y, rng.nextInt(1 << 24) & (y / 28 % 2 == 0 ? 0xff00ff : 0x00ffff));
        }
      }
      ImageIO.write(b, "png", dir.resolve(i + ".png").toFile());
    }
    StringBuilder pool = new StringBuilder();
    for (int i = 0; i < n; i++) {
      pool.append("{\"id\": \"p").append(i).append("\", \"image\": \"").append(i % 10)
          .append(".png\", \"x\": [").append(i).append(", 1]}\n");
    }
    Files.writeString(dir.resolve("pool.jsonl"), pool);
    Files.writeString(dir.resolve("data.jsonl"), "{\"id\": \"a\", \"image\": \"3.png\", \"x\": [0.5, 2]}\n");
    Files.writeString(dir.resolve("pipeline.yaml"),
        "modalities:\n  - name: image\n    plugin: image\n    settings: {featurizer: grid,"
            + " input: image, layout: nchw, scale: 0.00392156862745098}\n"
            + "  - name: x\n    plugin: vector\n    settings: {length: 2, input: x}\n"
            + "output: y\noutputKind: regression\n");
  }
}
