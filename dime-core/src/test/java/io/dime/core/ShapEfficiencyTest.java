package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ModalityExplanation;
import io.dime.api.OutputKind;
import io.dime.api.SurrogateFit;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.KernelShap;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * KernelSHAP's efficiency carries the value decomposition into every fit: its local prediction is
 * the target at the unperturbed mask, which the estimators without draws of their own there ({@code
 * exact}, {@code paper_faithful}) and {@code anchored} (whose unperturbed sample is the point's own
 * estimate) compute exactly as the point's decomposition. So, for every modality and explained
 * class: a term's fit predicts the term's value, UC's fit the sum of the terms of order at most 1,
 * MI's the rest, LIME's the output. Probability outputs, explained as centred log-probabilities,
 * three classes, k = 2 and 3.
 */
class ShapEfficiencyTest {
  private static double[] softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double s = 0;
    double[] p = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = Math.exp(z[i] - max);
      s += p[i];
    }
    for (int i = 0; i < z.length; i++) {
      p[i] /= s;
    }
    return p;
  }

  /** The points with modality j cut to its first sizes[j] entries. */
  private static List<Datapoint> sized(List<Datapoint> points, int[] sizes) {
    return points.stream()
        .map(
            p -> {
              java.util.Map<String, Object> v = new java.util.LinkedHashMap<>();
              for (int j = 0; j < p.values().size(); j++) {
                String name = "m" + (j + 1);
                v.put(name, java.util.Arrays.copyOf((double[]) p.value(name), sizes[j]));
              }
              return Datapoint.of(p.id(), v);
            })
        .toList();
  }

  @ParameterizedTest
  @CsvSource({"exact, 2", "exact, 3", "anchored, 2", "anchored, 3", "paper_faithful, 2"})
  void everyFitPredictsItsTermAtThePoint(String estimator, int k) {
    int[] sizes = {1, 6, 3};
    List<Datapoint> pool = sized(Fixtures.gaussianPoints("p", 15, k, 6, 41), sizes);
    DimeBuilder b = Dime.builder();
    for (int j = 0; j < k; j++) {
      b.modality(VectorModality.of("m" + (j + 1), sizes[j]));
    }
    Dime dime =
        b.model(
                JavaModels.of(
                    "probabilities",
                    3,
                    OutputKind.PROBABILITIES,
                    row -> {
                      double[] x1 = (double[]) row[0];
                      double[] x2 = (double[]) row[1];
                      double t = row.length > 2 ? ((double[]) row[2])[1] : 0.5;
                      double a = Math.tanh(x1[0]);
                      double c = x2[0] - x2[3] + x2[5] * x2[2];
                      return softmax(new double[] {a * c + t, Math.max(c, t) - a, a * t * c});
                    }))
            .referencePool(pool)
            .estimator(Estimators.byName(estimator, estimator.equals("anchored") ? 4 : 5))
            .surrogate(KernelShap.defaults())
            .samples(80)
            .noFaithfulness()
            .seed(9)
            .build();
    Datapoint dp = sized(Fixtures.gaussianPoints("x", 1, k, 6, 42), sizes).get(0);
    for (ClassExplanation c : dime.explain(dp, Targets.all()).classes()) {
      double uc = 0;
      double all = 0;
      for (TermValue t : c.decomposition()) {
        uc += t.term().order() <= 1 ? t.value() : 0;
        all += t.value();
      }
      assertEquals(c.output(), all, 1e-12);
      for (ModalityExplanation m : c.modalities()) {
        for (SurrogateFit f : m.fits()) {
          double want =
              switch (f.key()) {
                case "UC" -> uc;
                case "MI" -> c.output() - uc;
                case "LIME" -> c.output();
                default ->
                    c.decomposition().stream()
                        .filter(t -> t.key().equals(f.key()))
                        .findFirst()
                        .orElseThrow()
                        .value();
              };
          assertEquals(want, f.localPrediction(), 1e-9, m.modality() + " " + f.key() + " " + c);
        }
      }
    }
  }
}
