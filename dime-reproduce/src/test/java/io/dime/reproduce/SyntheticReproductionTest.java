package io.dime.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.core.Dime;
import io.dime.core.estimate.ReferenceSelection;
import io.dime.core.infer.JavaModels;
import io.dime.core.infer.OutputTransform;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import io.dime.core.pipeline.EngineSettings;
import io.dime.reproduce.SyntheticTasks.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticReproductionTest {
  @SuppressWarnings("unchecked")
  private static double cell(Map<String, Object> out, String table, String row, String col) {
    return ((Map<String, Map<String, Double>>) out.get(table)).get(row).get(col);
  }

  @Test
  void analyticTwoModalityTaskIsRecovered() {
    var cfg = SyntheticReproduction.Config.of(Task.K2, 40, 50, 500, "sampled", 0, 2, 512);
    Map<String, Object> out =
        SyntheticReproduction.run(
            cfg, SyntheticReproduction.analyticModel(Task.K2), "analytic", i -> {});
    System.out.println(Json.pretty(out.get("correlations")));
    System.out.println(Json.pretty(out.get("correlationErrors")));
    System.out.println(Json.pretty(out.get("crossExcess")));
    System.out.println(Json.pretty(out.get("forwardPasses")));
    assertEquals(1.0, (double) out.get("modelAccuracy"), 0);
    // the analytic model's centred label-1 score is y itself
    assertEquals(1.0, (double) out.get("explainedScoreVsY"), 1e-12);
    for (String row : new String[] {"UC1", "UC2"}) {
      assertTrue(cell(out, "correlations", row, "d" + row.charAt(2)) > 0.99, row);
    }
    for (String row : new String[] {"MI1", "MI2"}) {
      assertTrue(cell(out, "correlations", row, "d1*d2") > 0.99, row);
    }
  }

  /**
   * The standard error of a mean over one point is not defined: NaN in the JSON's error tables, as
   * {@code reproduce pointing} and {@code swap} write it. Before: 0, for every cell of {@code
   * correlationErrors} and {@code crossExcessErrors} of a run with {@code --points 1}.
   */
  @Test
  void theErrorOfAMeanOverOnePointIsNotDefined() {
    SyntheticReproduction.Stats one = new SyntheticReproduction.Stats();
    one.add("d1", 0.9);
    assertEquals(0.9, one.means().get("d1"), 0);
    assertTrue(Double.isNaN(one.errors().get("d1")), "error " + one.errors().get("d1"));
    SyntheticReproduction.Stats two = new SyntheticReproduction.Stats();
    two.add("d1", 0.9);
    two.add("d1", 0.7);
    assertEquals(0.1, two.errors().get("d1"), 1e-12); // sd 0.1414 over sqrt(2)
  }

  @Test
  void explainedScoreVsYFollowsTheScoreTheEngineExplains() {
    // Logits (s, y + s) with s = sum(d1)^2, a per-row level that a softmax ignores: the centred
    // score (z1 - z0) / 2 = y / 2 is exactly linear in y; the raw logit y + s is not. For the
    // task's Gaussian inputs, corr(y + s, y) = sqrt(var y / (var y + var s)) = sqrt(30 / 230) =
    // 0.361 (cov(y, s) = 0: odd moments vanish), about 0.36 on the 10,000 test points.
    MultimodalModel levelled =
        JavaModels.of(
            "levelled",
            2,
            OutputKind.LOGITS,
            row -> {
              double[][] parts = {(double[]) row[0], (double[]) row[1]};
              double y = SyntheticTasks.target(Task.K2, parts);
              double s = 0;
              for (double v : parts[0]) {
                s += v;
              }
              return new double[] {s * s, y + s * s};
            });
    OutputTransform centred = new OutputTransform(false, true, 2);
    assertEquals(
        1.0, SyntheticReproduction.explainedScoreVsY(Task.K2, levelled, 1000, centred), 1e-12);
    OutputTransform raw = new OutputTransform(false, false, 2);
    double rawR = SyntheticReproduction.explainedScoreVsY(Task.K2, levelled, 1000, raw);
    assertEquals(Math.sqrt(30.0 / 230.0), rawR, 0.03);
    // the engine's own transform for this model is the centred one
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("d1", SyntheticTasks.DIM))
            .modality(VectorModality.of("d2", SyntheticTasks.DIM))
            .model(levelled)
            .referencePool(
                List.of(
                    SyntheticReproduction.datapoint(
                        "p", SyntheticTasks.split(Task.K2, SyntheticTasks.Split.VALID).get(0))))
            .build()) {
      assertEquals(
          1.0,
          SyntheticReproduction.explainedScoreVsY(Task.K2, levelled, 1000, dime.scoreTransform()),
          1e-12);
    }
  }

  @SuppressWarnings("unchecked")
  private static double absent(Map<String, Object> out) {
    double worst = 0;
    for (Map<String, Double> m :
        ((Map<String, Map<String, Double>>) out.get("absentTermMaxAbsWeight")).values()) {
      worst = Math.max(worst, m.get("mean"));
    }
    return worst;
  }

  private static Map<String, Object> k3Exact(ReferenceSelection selection) {
    var cfg =
        new SyntheticReproduction.Config(
            Task.K3,
            4,
            new EngineSettings(
                "exact",
                40,
                java.util.Optional.ofNullable(selection).map(ReferenceSelection::id),
                300,
                "lime",
                0,
                2,
                1,
                java.util.Optional.empty(),
                io.dime.core.Presets.DEFAULT),
            2048);
    return SyntheticReproduction.run(
        cfg, SyntheticReproduction.analyticModel(Task.K3), "analytic", i -> {});
  }

  /**
   * exact(40) on the analytic 3-modality task: representative references leave far less of the
   * fixed set's error in the explanations than random ones. With moment-matched references the
   * pairwise and triple terms correlate with their truths above 0.995 and the absent term g13 gets
   * small weights; a random set of 40 has reference means off by about 1/sqrt(40) = 0.16, which
   * shows in g13 (the triple product's weights leak into it through the mean of d2).
   */
  @Test
  void representativeReferencesShrinkTheExactEstimatorsReferenceError() {
    Map<String, Object> rep = k3Exact(ReferenceSelection.REPRESENTATIVE);
    Map<String, Object> rnd = k3Exact(ReferenceSelection.RANDOM);
    for (String[] rc :
        new String[][] {
          {"g12@1", "d1*d2"},
          {"g12@2", "d1*d2"},
          {"g23@2", "d2*d3"},
          {"g23@3", "d2*d3"},
          {"g123@1", "d1*d2*d3"},
          {"g123@2", "d1*d2*d3"},
          {"g123@3", "d1*d2*d3"}
        }) {
      assertTrue(cell(rep, "correlations", rc[0], rc[1]) > 0.995, rc[0]);
    }
    assertTrue(absent(rep) < 0.1, "representative, g13 weights " + absent(rep));
    assertTrue(
        absent(rnd) > 2 * absent(rep),
        "random " + absent(rnd) + " against representative " + absent(rep));
  }
}
