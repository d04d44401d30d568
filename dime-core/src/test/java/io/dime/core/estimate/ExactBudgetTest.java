package io.dime.core.estimate;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.OutputKind;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.infer.JavaModels;
import io.dime.core.modality.VectorModality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * exact(N)'s budget of rows per point can be raised where it is chosen by name, as the command line
 * chooses it: there it had a budget of its own, 50 million, under --max-passes-per-point's 100
 * million, so exact(150) over three modalities (89 million rows) was refused with "or raise the
 * budget" even under --max-passes-per-point 200000000, and no option raised it.
 */
class ExactBudgetTest {
  private static DimeBuilder threeModalities(Estimator estimator) {
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      pool.add(
          Datapoint.of(
              "p" + i,
              Map.of(
                  "a", new double[] {i, 1, 2, 3},
                  "b", new double[] {1, i, 2, 3},
                  "c", new double[] {1, 2, i, 3})));
    }
    return Dime.builder()
        .modality(VectorModality.of("a", 4))
        .modality(VectorModality.of("b", 4))
        .modality(VectorModality.of("c", 4))
        .model(
            JavaModels.of(
                "sum",
                1,
                OutputKind.REGRESSION,
                row -> new double[] {((double[]) row[0])[0] + ((double[]) row[1])[0]}))
        .referencePool(pool)
        .estimator(estimator)
        .samples(1000);
  }

  @Test
  void theBudgetGivenByNameIsTheOneApplied() {
    try (Dime built =
        threeModalities(Estimators.byName("exact", 150, null, 200_000_000L)).build()) {
      assertTrue(built.passFormula() > 50_000_000L, "passes " + built.passFormula());
    }
  }

  @Test
  void aRefusalSaysHowToRaiseTheBudget() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> threeModalities(Estimators.byName("exact", 150, null)).build());
    assertTrue(e.getMessage().contains("over the budget of 50000000"), e.getMessage());
    assertTrue(e.getMessage().contains("--max-passes-per-point"), e.getMessage());
    assertTrue(e.getMessage().contains("Estimators.exact(N, maxRowsPerPoint)"), e.getMessage());
  }
}
