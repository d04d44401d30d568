package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Term;
import io.dime.api.TermValue;
import io.dime.core.estimate.Estimators;
import io.dime.core.modality.VectorModality;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The value decomposition of the exact estimator, evaluated at every point of the reference grid
 * (every combination of the references' modalities): each g_S averages to zero over any modality in
 * S.
 */
class GridZeroMeanTest {
  @Test
  void everyTermHasZeroMeanOverItsOwnModalitiesOnTheGrid() {
    int n = 3;
    int k = 3;
    List<Datapoint> refs = Fixtures.gaussianPoints("r", n, k, 2, 71);
    Dime dime =
        Dime.builder()
            .modality(VectorModality.of("m1", 2))
            .modality(VectorModality.of("m2", 2))
            .modality(VectorModality.of("m3", 2))
            .model(
                Fixtures.model(
                    1,
                    p ->
                        new double[] {
                          Math.tanh(p[0][0] * p[1][1] - p[2][0]) + p[0][1] * p[2][1] + p[1][0]
                        }))
            .referencePool(refs)
            .estimator(Estimators.exact(n))
            .samples(2)
            .build();
    double[][][][] g = new double[n][n][n][]; // [i1][i2][i3] -> term values by bits
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int l = 0; l < n; l++) {
          Map<String, Object> v = new LinkedHashMap<>();
          v.put("m1", refs.get(i).value("m1"));
          v.put("m2", refs.get(j).value("m2"));
          v.put("m3", refs.get(l).value("m3"));
          ClassExplanation c =
              dime.explain(Datapoint.of(i + "-" + j + "-" + l, v), Targets.classes("0"))
                  .forClass(0);
          double[] byBits = new double[1 << k];
          for (TermValue t : c.decomposition()) {
            byBits[(int) t.term().bits()] = t.value();
          }
          g[i][j][l] = byBits;
        }
      }
    }
    for (Term s : Term.all(k)) {
      for (int axis : s.modalities()) {
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            double mean = 0;
            for (int t = 0; t < n; t++) {
              int[] idx =
                  axis == 0
                      ? new int[] {t, a, b}
                      : axis == 1 ? new int[] {a, t, b} : new int[] {a, b, t};
              mean += g[idx[0]][idx[1]][idx[2]][(int) s.bits()] / n;
            }
            assertEquals(0, mean, 1e-12, "g" + s + " averaged over modality " + (axis + 1));
          }
        }
      }
    }
  }
}
