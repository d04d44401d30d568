package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.FeatureMap;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Python snippet, taken verbatim from between its markers, draws the golden demo
 * output (what a demo run writes, by {@link GoldenOutputsTest}) with {@code /usr/bin/python3}: its
 * per-pixel weights sum to the sum over superpixels of weight x area, its heat map colours every
 * pixel as its superpixel's weight says, and the words it finds through the offsets are the
 * features' words, the top one being the feature with the largest weight.
 */
class ReadmeFeatureMapSnippetTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @Test
  void theSnippetDrawsTheDemoRecordOnItsPixelsAndWords(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(PYTHON),
        "/usr/bin/python3 is absent, so the README's feature-map snippet is not run");
    Path script = dir.resolve("draw.py");
    Files.writeString(script, snippet(Files.readString(Path.of("..", "README.md"))));
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    Path golden = GoldenOutputsTest.GOLDEN.resolve("demo-explanations.jsonl").toAbsolutePath();
    List<String> out = run(dir, script, golden, data.resolve("demo.jsonl"));

    // the golden file masks the timings; give them numbers to read the line as an Explanation
    ObjectNode first =
        (ObjectNode)
            Json.mapper().readTree(Files.readAllLines(golden, StandardCharsets.UTF_8).get(0));
    first.putObject("timings").put("totalSeconds", 0.0).put("modelSeconds", 0.0);
    Explanation e = (Explanation) Json.readResult(Json.line(first));
    ClassExplanation c = e.classes().get(0);
    assertEquals("record d00 class " + c.className() + " fit UC", out.get(0));

    // the image: the pixel weights sum to sum_i w_i * area_i
    double[] w = c.modality("image").fit("UC").orElseThrow().weights();
    FeatureMap.Pixels map = (FeatureMap.Pixels) e.featureMaps().get("image");
    int[] labels = map.labels();
    double expected = 0;
    for (int label : labels) {
      expected += w[label];
    }
    double printed = Double.parseDouble(line(out, "image pixel weight sum ").trim());
    assertEquals(expected, printed, 1e-9 * Math.abs(expected));
    assertHeatMap(dir.resolve("d00-image.ppm"), map, labels, w);

    // the text: the words through the offsets are the features' words, with their weights
    double[] tw = c.modality("question").fit("UC").orElseThrow().weights();
    List<String> names = c.modality("question").featureNames();
    Matcher m = Pattern.compile("(\\S+)\\(([+-][0-9.]+)\\)").matcher(line(out, "question "));
    List<String> words = new ArrayList<>();
    int top = 0;
    for (int i = 0; m.find(); i++) {
      words.add(m.group(1));
      assertEquals(tw[i], Double.parseDouble(m.group(2)), 0.0005 + 1e-12, m.group());
      top = tw[i] > tw[top] ? i : top;
    }
    List<String> nameWords = names.stream().map(n -> n.substring(0, n.lastIndexOf('@'))).toList();
    assertEquals(nameWords, words);
    assertEquals(List.of("What", "is", "in", "the", "bottom", "right", "?"), words);
    assertEquals(nameWords.get(top), line(out, "question top word "));
  }

  /**
   * Every pixel has its superpixel's colour: white faded to the report's blue (#0072B2) for w >= 0,
   * to its orange (#E69F00) below, full at the largest |w|.
   */
  private static void assertHeatMap(Path ppm, FeatureMap.Pixels map, int[] labels, double[] w)
      throws IOException {
    byte[] bytes = Files.readAllBytes(ppm);
    byte[] header = ("P6 " + map.width() + " " + map.height() + " 255\n").getBytes();
    assertArrayEquals(header, java.util.Arrays.copyOf(bytes, header.length));
    assertEquals(header.length + 3 * labels.length, bytes.length);
    double largest = 0;
    for (double v : w) {
      largest = Math.max(largest, Math.abs(v));
    }
    int[][] colour = new int[w.length][];
    for (int p = 0; p < labels.length; p++) {
      int at = header.length + 3 * p;
      int[] rgb = {bytes[at] & 0xFF, bytes[at + 1] & 0xFF, bytes[at + 2] & 0xFF};
      double v = w[labels[p]];
      int[] full = v >= 0 ? new int[] {0, 114, 178} : new int[] {230, 159, 0};
      double t = Math.abs(v) / largest;
      for (int k = 0; k < 3; k++) {
        assertEquals(255 + t * (full[k] - 255), rgb[k], 0.5 + 1e-9, "pixel " + p + " channel " + k);
      }
      if (colour[labels[p]] == null) {
        colour[labels[p]] = rgb;
      }
      assertArrayEquals(colour[labels[p]], rgb, "pixel " + p + " differs from its superpixel");
    }
  }

  /** The code between the README's markers, without its fence lines. */
  static String snippet(String readme) {
    int begin = readme.indexOf("<!-- feature-map-snippet:begin -->");
    int end = readme.indexOf("<!-- feature-map-snippet:end -->");
    assertTrue(begin >= 0 && end > begin, "README.md has the feature-map snippet markers");
    String block = readme.substring(readme.indexOf('\n', begin) + 1, end).strip();
    assertTrue(
        block.startsWith("```python\n") && block.endsWith("\n```"),
        "the snippet is one python block: " + block);
    return block.substring("```python\n".length(), block.length() - 3);
  }

  private static List<String> run(Path dir, Path script, Path explanations, Path manifest)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                PYTHON.toString(), script.toString(), explanations.toString(), manifest.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    byte[] output = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python did not finish");
    String text = new String(output, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "python failed:\n" + text);
    return text.lines().toList();
  }

  private static String line(List<String> out, String prefix) {
    return out.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in " + out));
  }
}
