package io.dime.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Explanation;
import io.dime.api.run.JobResult;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.io.Json;
import io.dime.core.modality.VectorModality;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The summary's dominance table (the paper's Table 4: per type and modality, the mean over records
 * of the mean |weight| of the top 5 features) for weights near {@code Double.MAX_VALUE}: the top 5
 * summed overflowed to Infinity, which the exact sum ({@code BigDecimal}) refused, failing the
 * job's summary after every record had been explained.
 */
class SummaryDominanceTest {
  @Test
  void weightsNearTheLargestDoubleGiveTheirMeanNotAFailure() throws Exception {
    Explanation e;
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("a", 3))
            .modality(VectorModality.of("b", 3))
            .model(ModelFaultPolicyTest.REAL)
            .referencePool(ModelFaultPolicyTest.points("pool", 12, 7))
            .estimator(Estimators.sampled(4))
            .samples(40)
            .seed(3)
            .noFaithfulness()
            .build()) {
      e =
          dime.explain(
              io.dime.api.Datapoint.of(
                  "x", Map.of("a", new double[] {1, 2, 3}, "b", new double[] {1, 2, 3})),
              Targets.classes("1"));
    }
    // a's UC weights as a model of outputs near 1e308 would give them (three of 1.5e308 sum past
    // Double.MAX_VALUE)
    ObjectNode tree = Json.mapper().valueToTree(e);
    double big = 1.5e308;
    for (JsonNode m : tree.at("/classes/0/modalities")) {
      if (!m.get("modality").asText().equals("a")) {
        continue;
      }
      for (JsonNode f : m.get("fits")) {
        if (f.get("key").asText().equals("UC")) {
          ArrayNode w = (ArrayNode) f.get("weights");
          for (int j = 0; j < w.size(); j++) {
            w.set(j, Json.mapper().getNodeFactory().numberNode(-big));
          }
        }
      }
    }
    Explanation huge = Json.readExplanation(Json.mapper().writeValueAsString(tree));
    SummaryAccumulator acc = new SummaryAccumulator(List.of("a", "b"));
    acc.accept(new JobResult(JobResult.Status.EXPLAINED, 1, huge, Optional.empty(), Map.of()));
    acc.accept(new JobResult(JobResult.Status.EXPLAINED, 2, e, Optional.empty(), Map.of()));
    Map<String, Map<String, Double>> table = acc.dominance();
    // a's UC: the mean of 1.5e308 (the top 5, here all 3, of the huge record) and the plain
    // record's
    SummaryAccumulator alone = new SummaryAccumulator(List.of("a", "b"));
    alone.accept(new JobResult(JobResult.Status.EXPLAINED, 2, e, Optional.empty(), Map.of()));
    double plain = alone.dominance().get("UC").get("a");
    assertEquals((big + plain) / 2, table.get("UC").get("a"), 1e-12 * big);
    assertEquals(alone.dominance().get("UC").get("b"), table.get("UC").get("b"), 0.0);
    assertEquals(2, acc.explained());
  }
}
