package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.OutputKind;
import io.dime.api.run.GlobalShares;
import io.dime.api.run.RecordSource;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.modality.VectorModality;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The summary's global analysis sizes its grid to the job: with seven modalities 10 references a
 * modality (10^7 cells) were over the analysis's own limit, so every such job's summary held only
 * an error ("use fewer references", which no option sets); with a model of 1000 outputs the grid of
 * five modalities (10^5 cells x 1000 values, and as many again for the marginals) ran the JVM out
 * of memory after every record was explained, and summary.json was never written.
 */
class GlobalGridTest {
  @Test
  void theGridShrinksForManyModalitiesAndManyOutputsOnly() {
    assertEquals(50, ExplanationJob.globalGrid(100, 2, 13)); // the demo's, as before
    assertEquals(30, ExplanationJob.globalGrid(30, 2, 13));
    assertEquals(20, ExplanationJob.globalGrid(100, 3, 2));
    assertEquals(10, ExplanationJob.globalGrid(100, 4, 1000)); // 10^4 x 1000 = 10^7 values
    assertEquals(10, ExplanationJob.globalGrid(100, 6, 2)); // 10^6 cells
    assertEquals(7, ExplanationJob.globalGrid(100, 7, 2)); // 7^7 = 823,543 cells; 8^7 > 10^6
    assertEquals(6, ExplanationJob.globalGrid(100, 5, 1000)); // 6^5 = 7,776 cells x 1000
    assertEquals(4, ExplanationJob.globalGrid(100, 6, 1000));
    assertEquals(2, ExplanationJob.globalGrid(100, 30, 2)); // refused by the analysis, by name
    assertEquals(1, ExplanationJob.globalGrid(1, 3, 2));
  }

  @Test
  void aJobWithSevenModalitiesGetsItsGlobalShares() throws IOException {
    int k = 7;
    SplittableRandom rng = new SplittableRandom(11);
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Map<String, Object> values = new HashMap<>();
      for (int j = 0; j < k; j++) {
        values.put("m" + j, new double[] {rng.nextGaussian()});
      }
      pool.add(Datapoint.of("p" + i, values));
    }
    DimeBuilder b =
        Dime.builder()
            .model(
                JavaModels.of(
                    "m0 m1 + m2",
                    2,
                    OutputKind.LOGITS,
                    row -> {
                      double y =
                          ((double[]) row[0])[0] * ((double[]) row[1])[0] + ((double[]) row[2])[0];
                      return new double[] {-y, y};
                    }))
            .referencePool(pool)
            .estimator(Estimators.sampled(2))
            .samples(8)
            .seed(5)
            .batchSize(4096)
            .faithfulness(2, 5);
    for (int j = 0; j < k; j++) {
      b.modality(VectorModality.of("m" + j, 1));
    }
    try (Dime dime = b.build()) {
      JobOutcome outcome =
          ExplanationJob.builder(dime)
              .source(RecordSource.of("test", List.of(SourceRecord.of(1, pool.get(0)))))
              .targets(Targets.predicted())
              .build()
              .run();
      GlobalShares g = outcome.summary().orElseThrow().globalAnalysis();
      assertEquals(java.util.Optional.empty(), g.error());
      assertEquals(7, g.references());
      assertEquals(823_543, g.rows());
      Map<String, Double> shares = g.shares().get("1");
      assertEquals(127, shares.size());
      assertTrue(shares.get("g12") > 0.01, "g12: " + shares.get("g12"));
      assertEquals(0, shares.get("g4"), 1e-9);
    }
  }
}
