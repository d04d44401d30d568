package io.dime.modality.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's acceptance items for images, on the committed scene: SLIC hits the requested count
 * within 20%; with every feature hidden each pixel takes its segment's mean colour; the heat map's
 * most positive and most negative segments carry the palette's end colours; a grid gives rows x
 * cols equal cells; blur and constant hiding touch only hidden segments.
 */
class ImageModalityAcceptanceTest {
  private static final Image SCENE = read(modality(PluginConfig.empty("image")), TestImages.SCENE);

  static Modality<Image> modality(PluginConfig config) {
    return new ImageModality("photo", config);
  }

  static Image read(Modality<Image> m, Object field) {
    return m.read(field, new ReadContext(ImageModalityContractTest.imagesDirectory(), "r1"));
  }

  static FeatureSet<Image> featurize(PluginConfig config) {
    return modality(config).featurize(SCENE, PoolStatistics.empty(), new SplittableRandom(7));
  }

  @Test
  void committedSceneDecodesToTheGeneratorsPixels() {
    assertEquals(224, SCENE.width());
    assertEquals(224, SCENE.height());
    assertArrayEquals(TestImages.scenePixels(), SCENE.toPackedRgb());
  }

  @ParameterizedTest(name = "{0} segments")
  @ValueSource(ints = {10, 25, 50, 100, 200})
  void slicGivesTheRequestedNumberOfSegmentsWithin20Percent(int target) {
    FeatureSet<Image> fs = featurize(PluginConfig.of("image", "segments", target));
    assertTrue(
        Math.abs(fs.size() - target) <= 0.2 * target,
        "asked for " + target + " segments, got " + fs.size());
    assertContiguousLabels(fs);
  }

  @Test
  void withEveryFeatureHiddenEachPixelTakesItsSegmentsMeanColour() {
    FeatureSet<Image> fs = featurize(PluginConfig.empty("image"));
    int[] labels = (int[]) fs.layout().get("segments");
    int d = fs.size();
    double[][] sum = new double[d][3];
    int[] n = new int[d];
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        int s = labels[y * 224 + x];
        n[s]++;
        for (int c = 0; c < 3; c++) {
          sum[s][c] += SCENE.sample(x, y, c);
        }
      }
    }
    Image hidden = fs.apply(new boolean[d]);
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        int s = labels[y * 224 + x];
        for (int c = 0; c < 3; c++) {
          long expected = Math.round(sum[s][c] / n[s]);
          assertEquals(
              expected,
              hidden.sample(x, y, c),
              "pixel (" + x + ", " + y + ") channel " + c + " of segment " + s);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"diverging", "green_red"})
  void heatMapsExtremeSegmentsCarryThePalettesEndColours(String palette) throws IOException {
    FeatureSet<Image> fs = featurize(PluginConfig.empty("image"));
    int d = fs.size();
    double[] w = new double[d];
    for (int i = 0; i < d; i++) {
      w[i] = Math.sin(i * 1.7) * (1 + i % 3); // mixed signs, unequal extremes
    }
    int zero = 3;
    w[zero] = 0;
    int most = argmax(w, 1);
    int least = argmax(w, -1);
    assertNotEquals(Math.abs(w[most]), Math.abs(w[least]), "extremes should differ in size");
    View view = modality(PluginConfig.empty("image")).view(fs, w, new ViewOptions(palette, 0, "t"));
    assertEquals("heatmap", view.kind());
    assertEquals(palette, view.data().get("palette"));
    int positive = hex(view.data().get("positiveColor"));
    int negative = hex(view.data().get("negativeColor"));
    int boundary = hex(view.data().get("boundaryColor"));
    assertEquals(w[most], (double) view.data().get("scaleMax"));
    assertEquals(w[least], (double) view.data().get("scaleMin"));
    BufferedImage png = decode(view);
    assertEquals(224, png.getWidth());
    assertEquals(224, png.getHeight());

    int[] labels = (int[]) fs.layout().get("segments");
    int[] counted = new int[3];
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        int s = labels[y * 224 + x];
        int got = png.getRGB(x, y) & 0xFFFFFF;
        if (nearBoundary(labels, x, y)) {
          continue;
        }
        if (s == most) {
          assertEquals(positive, got, "pixel (" + x + ", " + y + ") of the most positive segment");
          counted[0]++;
        } else if (s == least) {
          assertEquals(negative, got, "pixel (" + x + ", " + y + ") of the most negative segment");
          counted[1]++;
        } else if (s == zero) {
          assertEquals(SCENE.rgb(x, y), got, "a zero-weight segment shows the image");
          counted[2]++;
        }
      }
    }
    assertTrue(counted[0] > 0 && counted[1] > 0 && counted[2] > 0, Arrays.toString(counted));
    // the boundary is drawn: the pixel left of a label change on some row is grey
    int row = 100;
    for (int x = 0; x + 1 < 224; x++) {
      if (labels[row * 224 + x] != labels[row * 224 + x + 1]) {
        assertEquals(boundary, png.getRGB(x, row) & 0xFFFFFF);
        break;
      }
    }
  }

  @Test
  void topNColoursOnlyTheLargestSegmentsAndSymmetricScaleUsesTheLargestMagnitude()
      throws IOException {
    FeatureSet<Image> fs = featurize(PluginConfig.of("image", "colorScale", "symmetric"));
    int d = fs.size();
    double[] w = new double[d];
    for (int i = 0; i < d; i++) {
      w[i] = 0.01 * (i + 1) * (i % 2 == 0 ? 1 : -1);
    }
    View view =
        modality(PluginConfig.of("image", "colorScale", "symmetric"))
            .view(fs, w, new ViewOptions(null, 3, null));
    int[] coloured = (int[]) view.data().get("coloredSegments");
    assertArrayEquals(new int[] {d - 3, d - 2, d - 1}, coloured);
    assertEquals("diverging", view.data().get("palette"), "null palette: the setting's");
    double max = 0.01 * d;
    assertEquals(max, (double) view.data().get("scaleMax"), 1e-12);
    assertEquals(-max, (double) view.data().get("scaleMin"), 1e-12);
    BufferedImage png = decode(view);
    int[] labels = (int[]) fs.layout().get("segments");
    int changed = 0;
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        int s = labels[y * 224 + x];
        if (s < d - 3 && !nearBoundary(labels, x, y)) {
          assertEquals(SCENE.rgb(x, y), png.getRGB(x, y) & 0xFFFFFF, "segment " + s);
        } else if (s >= d - 3 && (png.getRGB(x, y) & 0xFFFFFF) != SCENE.rgb(x, y)) {
          changed++;
        }
      }
    }
    assertTrue(changed > 0, "the top segments are coloured");
  }

  @Test
  void gridGivesRowsTimesColsSegmentsOfEqualSize() {
    FeatureSet<Image> fs =
        featurize(PluginConfig.of("image", "featurizer", "grid", "rows", 4, "cols", 7));
    assertEquals(28, fs.size());
    int[] counts = (int[]) fs.layout().get("pixelCounts");
    int[] expected = new int[28];
    Arrays.fill(expected, 224 * 224 / 28);
    assertArrayEquals(expected, counts);
    int[] labels = (int[]) fs.layout().get("segments");
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        assertEquals((y / 56) * 7 + x / 32, labels[y * 224 + x], "(" + x + ", " + y + ")");
      }
    }
    double[] cx = (double[]) fs.layout().get("centroidX");
    double[] cy = (double[]) fs.layout().get("centroidY");
    assertEquals(15.5, cx[0], 1e-12);
    assertEquals(27.5, cy[0], 1e-12);
    assertEquals(224 - 16.5, cx[27], 1e-12);
    // the default grid follows 'segments': 50 -> 7 x 7
    assertEquals(49, featurize(PluginConfig.of("image", "featurizer", "grid")).size());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"blur", "constant"})
  void blurAndConstantHidingChangeOnlyTheHiddenSegments(String perturber) {
    PluginConfig config =
        perturber.equals("blur")
            ? PluginConfig.of("image", "perturber", "blur", "blurSigma", 3)
            : PluginConfig.of("image", "perturber", "constant", "fill", List.of(10, 200, 30));
    FeatureSet<Image> fs = featurize(config);
    int d = fs.size();
    int[] labels = (int[]) fs.layout().get("segments");
    Image allHidden = fs.apply(new boolean[d]);
    SplittableRandom rng = new SplittableRandom(11);
    for (int r = 0; r < 5; r++) {
      boolean[] keep = new boolean[d];
      for (int i = 0; i < d; i++) {
        keep[i] = rng.nextBoolean();
      }
      Image out = fs.apply(keep);
      int hiddenChanged = 0;
      for (int y = 0; y < 224; y++) {
        for (int x = 0; x < 224; x++) {
          int s = labels[y * 224 + x];
          if (keep[s]) {
            assertEquals(SCENE.rgb(x, y), out.rgb(x, y), "kept pixel (" + x + ", " + y + ")");
          } else {
            assertEquals(allHidden.rgb(x, y), out.rgb(x, y), "hidden pixel (" + x + ", " + y + ")");
            if (out.rgb(x, y) != SCENE.rgb(x, y)) {
              hiddenChanged++;
            }
          }
        }
      }
      assertTrue(hiddenChanged > 0, "hiding changed no pixel");
    }
    if (perturber.equals("constant")) {
      for (int p : allHidden.toPackedRgb()) {
        assertEquals(0x0AC81E, p);
      }
    } else {
      // a blur: the stripes of the green rectangle are smoothed, the image is not constant
      assertNotEquals(SCENE.rgb(150, 31), allHidden.rgb(150, 31));
      assertFalse(Arrays.stream(allHidden.toPackedRgb()).distinct().count() < 100);
    }
  }

  private static void assertContiguousLabels(FeatureSet<Image> fs) {
    int[] labels = (int[]) fs.layout().get("segments");
    int[] counts = (int[]) fs.layout().get("pixelCounts");
    int[] seen = new int[fs.size()];
    int next = 0;
    for (int l : labels) {
      assertTrue(l >= 0 && l < fs.size(), "label " + l);
      if (seen[l]++ == 0) {
        assertEquals(next++, l, "labels are numbered in order of first appearance");
      }
    }
    assertArrayEquals(counts, seen);
    assertEquals(fs.size(), next);
  }

  static boolean nearBoundary(int[] labels, int x, int y) {
    int l = labels[y * 224 + x];
    int[][] steps = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    for (int[] s : steps) {
      int nx = x + s[0];
      int ny = y + s[1];
      if (nx >= 0 && nx < 224 && ny >= 0 && ny < 224 && labels[ny * 224 + nx] != l) {
        return true;
      }
    }
    return false;
  }

  private static int argmax(double[] w, int sign) {
    int best = 0;
    for (int i = 1; i < w.length; i++) {
      if (sign * w[i] > sign * w[best]) {
        best = i;
      }
    }
    return best;
  }

  static int hex(Object colour) {
    String s = (String) colour;
    assertTrue(s.matches("#[0-9A-F]{6}"), s);
    return Integer.parseInt(s.substring(1), 16);
  }

  static BufferedImage decode(View view) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream((byte[]) view.data().get("png")));
    assertTrue(img != null, "the view's png does not decode");
    return img;
  }
}
