package io.dime.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.core.io.Json;
import io.dime.core.synth.SyntheticTasks.Task;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticReproductionTest {
  @SuppressWarnings("unchecked")
  private static double cell(Map<String, Object> out, String table, String row, String col) {
    return ((Map<String, Map<String, Double>>) out.get(table)).get(row).get(col);
  }

  @Test
  void analyticTwoModalityTaskIsRecovered() {
    var cfg = new SyntheticReproduction.Config(Task.K2, 40, 50, 500, "sampled", 0, 2, 512);
    Map<String, Object> out =
        SyntheticReproduction.run(
            cfg, SyntheticReproduction.analyticModel(Task.K2), "analytic", i -> {});
    System.out.println(Json.pretty(out.get("correlations")));
    System.out.println(Json.pretty(out.get("correlationErrors")));
    System.out.println(Json.pretty(out.get("crossExcess")));
    System.out.println(Json.pretty(out.get("forwardPasses")));
    assertEquals(1.0, (double) out.get("modelAccuracy"), 0);
    for (String row : new String[] {"UC1", "UC2"}) {
      assertTrue(cell(out, "correlations", row, "d" + row.charAt(2)) > 0.99, row);
    }
    for (String row : new String[] {"MI1", "MI2"}) {
      assertTrue(cell(out, "correlations", row, "d1*d2") > 0.99, row);
    }
  }
}
