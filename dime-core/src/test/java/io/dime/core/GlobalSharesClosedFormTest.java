package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.OutputKind;
import io.dime.api.run.GlobalShares;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The global analysis against Sobol indices worked out by hand for models whose functional ANOVA is
 * known in closed form. With a grid at least as large as the pool the grid is the whole pool's
 * product measure (the empirical distribution of each modality's values), so for f = a x1 + b x2 +
 * c x1 x2 the terms' variances are (a + c m2)^2 v1, (b + c m1)^2 v2 and c^2 v1 v2 (m, v: the
 * modality's mean and population variance over the pool), and for a product of modality values u_j
 * with means mu_j and variances s_j^2 the term S has variance prod_{j in S} s_j^2 prod_{j not in S}
 * mu_j^2. Two, three and four modalities; one and three outputs.
 */
class GlobalSharesClosedFormTest {
  private static final double TOL = 1e-12;

  /**
   * A pool of scalar modalities: column j of {@code values} is modality j's value per datapoint.
   */
  static List<Datapoint> pool(double[][] values, String[] labels) {
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      Map<String, Object> v = new LinkedHashMap<>();
      for (int j = 0; j < values[i].length; j++) {
        v.put("m" + (j + 1), new double[] {values[i][j]});
      }
      Optional<String> label = labels == null ? Optional.empty() : Optional.of(labels[i]);
      out.add(new Datapoint("p" + i, v, label));
    }
    return out;
  }

  static GlobalShares global(
      double[][] values,
      String[] labels,
      int outputs,
      Boolean centred,
      int grid,
      Function<double[], double[]> f) {
    return global(values, labels, outputs, centred, grid, f, null);
  }

  static GlobalShares global(
      double[][] values,
      String[] labels,
      int outputs,
      Boolean centred,
      int grid,
      Function<double[], double[]> f,
      OutputKind kind) {
    int k = values[0].length;
    DimeBuilder b =
        Dime.builder()
            .model(
                Fixtures.model(
                    outputs,
                    p -> {
                      double[] x = new double[p.length];
                      for (int j = 0; j < p.length; j++) {
                        x[j] = p[j][0];
                      }
                      return f.apply(x);
                    }))
            .referencePool(pool(values, labels));
    for (int j = 0; j < k; j++) {
      b.modality(VectorModality.of("m" + (j + 1), 1));
    }
    if (centred != null) {
      b.centeredScores(centred);
    }
    if (kind != null) {
      b.outputKind(kind);
    }
    try (Dime dime = b.build()) {
      return dime.globalAnalysis(grid);
    }
  }

  static double mean(double[][] values, int j) {
    double s = 0;
    for (double[] row : values) {
      s += row[j];
    }
    return s / values.length;
  }

  static double var(double[][] values, int j) {
    double m = mean(values, j);
    double s = 0;
    for (double[] row : values) {
      s += (row[j] - m) * (row[j] - m);
    }
    return s / values.length;
  }

  /** Shares {g1, g2, g12} of a x1 + b x2 + c x1 x2 over the pool's product measure. */
  static double[] bilinearShares(double[][] values, double a, double b, double c) {
    double m1 = mean(values, 0);
    double m2 = mean(values, 1);
    double v1 = (a + c * m2) * (a + c * m2) * var(values, 0);
    double v2 = (b + c * m1) * (b + c * m1) * var(values, 1);
    double v12 = c * c * var(values, 0) * var(values, 1);
    double t = v1 + v2 + v12;
    return new double[] {v1 / t, v2 / t, v12 / t};
  }

  static void assertShares(double[] want, Map<String, Double> got, String... keys) {
    for (int i = 0; i < keys.length; i++) {
      assertEquals(want[i], got.get(keys[i]), TOL, keys[i]);
    }
    assertEquals(keys.length, got.size(), () -> "terms " + got.keySet());
  }

  private static final double[][] TWO = {{0, 1}, {1, -1}, {2, 3}, {5, 0}, {-1, 2}};

  @Test
  void bilinearModelOfTwoModalities() {
    GlobalShares g =
        global(TWO, null, 1, null, 50, x -> new double[] {2 * x[0] - x[1] + 3 * x[0] * x[1]});
    assertEquals(5, g.references());
    assertEquals(25, g.rows());
    double[] want = bilinearShares(TWO, 2, -1, 3);
    assertShares(want, g.shares().get("0"), "g1", "g2", "g12");
    assertEquals(want[0] + want[1], g.additiveShare(), TOL);
  }

  @Test
  void poolsOfTwoAndOne() {
    double[][] two = {{0.5, 2}, {3, -1}};
    GlobalShares g = global(two, null, 1, null, 50, x -> new double[] {x[0] + x[1] + x[0] * x[1]});
    assertEquals(2, g.references());
    assertEquals(4, g.rows());
    assertShares(bilinearShares(two, 1, 1, 1), g.shares().get("0"), "g1", "g2", "g12");
    // one datapoint: a grid of one cell, which has no variance to share, is refused by name
    // (before: every share NaN, read as an output that does not vary)
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                global(
                    new double[][] {{1, 2}}, null, 1, null, 50, x -> new double[] {x[0] * x[1]}));
    assertTrue(e.getMessage().contains("the pool has 1 datapoint"), e.getMessage());
  }

  /**
   * Duplicated datapoints weigh twice in the product measure; doubling every one changes nothing.
   */
  @Test
  void duplicatedRowsWeighAsOften() {
    double[][] dup = {{0, 1}, {0, 1}, {0, 1}, {4, -2}};
    GlobalShares g =
        global(dup, null, 1, null, 50, x -> new double[] {x[0] - 2 * x[1] + x[0] * x[1]});
    assertShares(bilinearShares(dup, 1, -2, 1), g.shares().get("0"), "g1", "g2", "g12");
    double[][] doubled = new double[TWO.length * 2][];
    for (int i = 0; i < doubled.length; i++) {
      doubled[i] = TWO[i % TWO.length];
    }
    GlobalShares d =
        global(doubled, null, 1, null, 50, x -> new double[] {2 * x[0] - x[1] + 3 * x[0] * x[1]});
    assertShares(bilinearShares(TWO, 2, -1, 3), d.shares().get("0"), "g1", "g2", "g12");
  }

  @Test
  void productOfThreeModalities() {
    double[][] values = {{1, 2, -1}, {3, 0.5, 2}, {-2, 1, 4}, {0, 2.5, 1}};
    double[] offset = {0.5, 0, -1};
    GlobalShares g =
        global(values, null, 1, null, 20, x -> new double[] {(x[0] + 0.5) * x[1] * (x[2] - 1)});
    Map<String, Double> got = g.shares().get("0");
    double[] mu = new double[3];
    double[] s2 = new double[3];
    for (int j = 0; j < 3; j++) {
      mu[j] = mean(values, j) + offset[j];
      s2[j] = var(values, j);
    }
    double total = 0;
    double[] var = new double[8];
    for (int bits = 1; bits < 8; bits++) {
      var[bits] = 1;
      for (int j = 0; j < 3; j++) {
        var[bits] *= (bits & (1 << j)) != 0 ? s2[j] : mu[j] * mu[j];
      }
      total += var[bits];
    }
    String[] keys = {"", "g1", "g2", "g12", "g3", "g13", "g23", "g123"};
    for (int bits = 1; bits < 8; bits++) {
      assertEquals(var[bits] / total, got.get(keys[bits]), TOL, keys[bits]);
    }
    assertEquals(64, g.rows());
  }

  /** Four modalities, the output a nonlinear function of the third only: all of it is g3's. */
  @Test
  void oneModalityOfFour() {
    double[][] values = {{1, 2, -1, 0}, {3, 0.5, 2, 1}, {-2, 1, 4, 2}};
    GlobalShares g = global(values, null, 1, null, 10, x -> new double[] {Math.sin(x[2]) * 7});
    Map<String, Double> got = g.shares().get("0");
    assertEquals(15, got.size());
    got.forEach((key, s) -> assertEquals(key.equals("g3") ? 1 : 0, s, 1e-15, key));
    assertEquals(1, g.additiveShare(), 1e-15);
  }

  /** Indicators: 1[x1 > 0] 1[x2 > 0] is a product with means p_j and variances p_j (1 - p_j). */
  @Test
  void indicators() {
    double[][] values = {{1, -1}, {2, 3}, {-1, 2}, {0.5, -4}, {-3, -2}};
    GlobalShares g =
        global(values, null, 1, null, 50, x -> new double[] {x[0] > 0 && x[1] > 0 ? 1 : 0});
    double p1 = 3.0 / 5;
    double p2 = 2.0 / 5;
    double v1 = p1 * (1 - p1) * p2 * p2;
    double v2 = p2 * (1 - p2) * p1 * p1;
    double v12 = p1 * (1 - p1) * p2 * (1 - p2);
    double t = v1 + v2 + v12;
    assertShares(new double[] {v1 / t, v2 / t, v12 / t}, g.shares().get("0"), "g1", "g2", "g12");
  }

  @Test
  void constantModelHasNoShares() {
    GlobalShares g = global(TWO, null, 2, false, 50, x -> new double[] {3.25, -1});
    assertEquals(25, g.rows());
    g.shares().values().forEach(m -> m.values().forEach(s -> assertTrue(Double.isNaN(s))));
    assertTrue(Double.isNaN(g.additiveShare()));
  }

  /** The same shares at any scale of the output, near the largest double and near the smallest. */
  @ParameterizedTest
  @ValueSource(doubles = {1e-300, 1e-307, 1e300, 3e306})
  void sharesAtAnyScale(double scale) {
    GlobalShares g =
        global(
            TWO,
            null,
            1,
            null,
            50,
            x -> new double[] {scale * (2 * x[0] - x[1] + 3 * x[0] * x[1])});
    assertShares(bilinearShares(TWO, 2, -1, 3), g.shares().get("0"), "g1", "g2", "g12");
  }

  /**
   * Three logits where only the first class interacts: y0 = x1 + x2 + 2 x1 x2, y1 = x1, y2 = -x2 /
   * 2. Raw, the second and third are one modality's each; centred (the default for logits), class c
   * is y_c - mean(y), again of the form a x1 + b x2 + c x1 x2. The accuracies at the references
   * against their labels are the model's argmax and the additive projection's, worked out here.
   */
  @Test
  void threeLogitsOneInteracting() {
    String[] labels = {"0", "1", "2", "0", "1"};
    Function<double[], double[]> f =
        x -> new double[] {x[0] + x[1] + 2 * x[0] * x[1], x[0], -0.5 * x[1]};
    GlobalShares raw = global(TWO, labels, 3, false, 50, f);
    assertShares(bilinearShares(TWO, 1, 1, 2), raw.shares().get("0"), "g1", "g2", "g12");
    assertShares(new double[] {1, 0, 0}, raw.shares().get("1"), "g1", "g2", "g12");
    assertShares(new double[] {0, 1, 0}, raw.shares().get("2"), "g1", "g2", "g12");
    double[][] coef = {{1, 1, 2}, {1, 0, 0}, {0, -0.5, 0}}; // a, b, c per class
    double[][] centred = new double[3][3];
    for (int cls = 0; cls < 3; cls++) {
      for (int t = 0; t < 3; t++) {
        centred[cls][t] = coef[cls][t] - (coef[0][t] + coef[1][t] + coef[2][t]) / 3;
      }
    }
    GlobalShares cen = global(TWO, labels, 3, null, 50, f);
    double additive = 0;
    for (int cls = 0; cls < 3; cls++) {
      double[] want = bilinearShares(TWO, centred[cls][0], centred[cls][1], centred[cls][2]);
      assertShares(want, cen.shares().get(String.valueOf(cls)), "g1", "g2", "g12");
      additive += (want[0] + want[1]) / 3;
    }
    assertEquals(additive, cen.additiveShare(), TOL);
    // accuracies: the additive projection of a x1 + b x2 + c x1 x2 is
    // mean + (a + c m2)(x1 - m1) + (b + c m1)(x2 - m2); argmax is the same raw or centred
    double m1 = mean(TWO, 0);
    double m2 = mean(TWO, 1);
    double model = 0;
    double proj = 0;
    for (int i = 0; i < TWO.length; i++) {
      double x1 = TWO[i][0];
      double x2 = TWO[i][1];
      double[] y = f.apply(TWO[i]);
      double[] p = new double[3];
      for (int cls = 0; cls < 3; cls++) {
        double a = coef[cls][0];
        double b = coef[cls][1];
        double c = coef[cls][2];
        p[cls] =
            a * m1 + b * m2 + c * m1 * m2 + (a + c * m2) * (x1 - m1) + (b + c * m1) * (x2 - m2);
      }
      int want = Integer.parseInt(labels[i]);
      model += GlobalSharesBruteForceTest.argmax(y) == want ? 0.2 : 0;
      proj += GlobalSharesBruteForceTest.argmax(p) == want ? 0.2 : 0;
    }
    assertEquals(model, cen.modelAccuracy(), 1e-12);
    assertEquals(proj, cen.additiveAccuracy(), 1e-12);
    assertEquals(model, raw.modelAccuracy(), 1e-12);
    assertEquals(proj, raw.additiveAccuracy(), 1e-12);
  }

  /**
   * Probabilities are analysed as their centred logarithms: for a softmax of the three logits above
   * those are the centred logits, whose shares are the closed form's.
   */
  @Test
  void probabilitiesAreAnalysedAsCentredLogRatios() {
    Function<double[], double[]> softmax =
        x -> {
          double[] y = {x[0] + x[1] + 2 * x[0] * x[1], x[0], -0.5 * x[1]};
          double max = Math.max(y[0], Math.max(y[1], y[2]));
          double sum = 0;
          for (int i = 0; i < 3; i++) {
            y[i] = Math.exp(y[i] - max);
            sum += y[i];
          }
          for (int i = 0; i < 3; i++) {
            y[i] /= sum;
          }
          return y;
        };
    double[] small = {0, 0.5, 1, -0.5, 0.25};
    double[][] values = new double[5][];
    for (int i = 0; i < 5; i++) {
      values[i] = new double[] {small[i], small[(i + 2) % 5]};
    }
    GlobalShares g = global(values, null, 3, null, 50, softmax, OutputKind.PROBABILITIES);
    double[][] coef = {{1, 1, 2}, {1, 0, 0}, {0, -0.5, 0}};
    for (int cls = 0; cls < 3; cls++) {
      double[] c = new double[3];
      for (int t = 0; t < 3; t++) {
        c[t] = coef[cls][t] - (coef[0][t] + coef[1][t] + coef[2][t]) / 3;
      }
      assertShares(
          bilinearShares(values, c[0], c[1], c[2]),
          g.shares().get(String.valueOf(cls)),
          "g1",
          "g2",
          "g12");
    }
  }

  /** A constant class has no shares and is left out of the additive share's mean over classes. */
  @Test
  void constantClassIsLeftOutOfTheAdditiveShare() {
    GlobalShares g =
        global(TWO, null, 3, false, 50, x -> new double[] {x[0] + x[1] + 2 * x[0] * x[1], x[0], 5});
    double[] want = bilinearShares(TWO, 1, 1, 2);
    assertShares(want, g.shares().get("0"), "g1", "g2", "g12");
    g.shares().get("2").values().forEach(s -> assertTrue(Double.isNaN(s), "share " + s));
    assertEquals((want[0] + want[1] + 1) / 2, g.additiveShare(), TOL);
  }
}
