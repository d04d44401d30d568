package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.OutputKind;
import io.dime.api.TermValue;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.modality.image.Image;
import io.dime.modality.image.ImageModality;
import io.dime.modality.text.TextModality;
import io.dime.spi.PluginConfig;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image + question DIME run through the engine with the real image (OpenCV) and text (CoreNLP)
 * plugins and a small model built here: the answer score is the red content of the top-left
 * quadrant when the question says "red" (an interaction), plus a bonus for the word "is" (text
 * alone) and for green anywhere (image alone).
 */
class ImageTextEngineTest {
  static Image scene(int redTopLeft, int green) {
    int w = 32;
    byte[] px = new byte[w * w * 3];
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        boolean topLeft = x < 16 && y < 16;
        boolean bottomRight = x >= 16 && y >= 16;
        px[i] = (byte) (topLeft ? redTopLeft : 20);
        px[i + 1] = (byte) (bottomRight ? green : 20);
        px[i + 2] = 20;
      }
    }
    return Image.ofRgb(w, w, px);
  }

  static double meanChannel(Image im, int c, int x0, int y0, int size) {
    double s = 0;
    for (int y = y0; y < y0 + size; y++) {
      for (int x = x0; x < x0 + size; x++) {
        s += im.sample(x, y, c);
      }
    }
    return s / (size * size) / 255.0;
  }

  @Test
  void imageAndQuestionGiveFourPanels(@TempDir Path dir) throws Exception {
    Path vocab = dir.resolve("vocab.txt");
    Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "is", "red", "the", "?"));
    ImageModality image =
        new ImageModality(
            "image",
            PluginConfig.of(
                "image",
                "featurizer",
                "grid",
                "rows",
                2,
                "cols",
                2,
                "perturber",
                "constant",
                "fill",
                List.of(0, 0, 0)));
    TextModality text =
        new TextModality(
            "question", PluginConfig.of("text", "vocab", vocab.toString(), "maxLength", 16));
    var model =
        JavaModels.of(
            "test",
            2,
            OutputKind.LOGITS,
            row -> {
              Image im = (Image) row[0];
              String q = (String) row[1];
              double red = meanChannel(im, 0, 0, 0, 16);
              double green = meanChannel(im, 1, 16, 16, 16);
              double s = (q.contains("red") ? 3 * red : 0) + (q.contains("is") ? 0.5 : 0) + green;
              return new double[] {-s, s};
            });
    List<Datapoint> pool = new ArrayList<>();
    String[] questions = {"is the top red ?", "what is it ?", "the sky", "red or not ?"};
    for (int i = 0; i < 8; i++) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("image", scene(40 * i % 256, 30 * i % 256));
      v.put("question", questions[i % 4]);
      pool.add(Datapoint.of("p" + i, v));
    }
    Dime dime =
        Dime.builder()
            .modality(image)
            .modality(text)
            .model(model)
            .referencePool(pool)
            .estimator(Estimators.exact(8))
            .samples(200)
            .build();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("image", scene(250, 200));
    v.put("question", "is the top left red ?");
    Datapoint x = Datapoint.of("x", v);
    Explanation e = dime.explain(x, Targets.classes("1"));
    ClassExplanation c = e.forClass(1);
    assertEquals(4, c.modality("image").featureNames().size(), "a 2 x 2 grid");
    assertEquals(6, c.modality("question").featureNames().size(), "six CoreNLP tokens");
    double sum = c.decomposition().stream().mapToDouble(TermValue::value).sum();
    assertEquals(c.output(), sum, 1e-9);
    // The interaction lives in the top-left cell and the word "red".
    double[] miImage = c.modality("image").fit("MI").orElseThrow().weights();
    assertEquals(0, argmax(miImage), "MI on the image points at the top-left cell");
    double[] miText = c.modality("question").fit("MI").orElseThrow().weights();
    assertEquals("red@16", c.modality("question").featureNames().get(argmax(miText)));
    assertEquals(0, miImage[3], 0.05, "green does not interact");
    double[] ucImage = c.modality("image").fit("UC").orElseThrow().weights();
    assertEquals(200 / 255.0, ucImage[3], 0.05, "green acts alone");
    assertEquals(0, ucImage[1], 0.05, "an empty cell does nothing");
    for (String m : List.of("image", "question")) {
      for (String fit : List.of("UC", "MI")) {
        View view = dime.view(x, e, 1, m, fit, ViewOptions.defaults(fit + " " + m));
        assertTrue(!view.data().isEmpty(), m + " " + fit);
        assertEquals(m.equals("image") ? "heatmap" : "tokens", view.kind());
      }
    }
    byte[] png =
        (byte[]) dime.view(x, e, 1, "image", "MI", ViewOptions.defaults("MI")).data().get("png");
    assertEquals((byte) 0x89, png[0], "a PNG");
  }

  private static int argmax(double[] w) {
    int best = 0;
    for (int i = 1; i < w.length; i++) {
      if (w[i] > w[best]) {
        best = i;
      }
    }
    return best;
  }
}
