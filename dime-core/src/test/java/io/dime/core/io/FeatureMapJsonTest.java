package io.dime.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.FeatureMap;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.modality.VectorModality;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON form of feature maps, alone and inside an explanation line. */
class FeatureMapJsonTest {
  private static final FeatureMap PIXELS = FeatureMap.Pixels.of(3, 2, new int[] {0, 0, 1, 1, 1, 0});
  private static final FeatureMap SPANS =
      new FeatureMap.Spans(10, new int[] {0, 5}, new int[] {4, 10});
  private static final FeatureMap WINDOWS =
      new FeatureMap.Windows(2, 4, new int[] {0, 0, 1}, new int[] {0, 2, 0}, new int[] {2, 4, 4});
  private static final FeatureMap ENTRIES = new FeatureMap.Entries(3, new int[] {2, 0});

  @Test
  void eachKindHasItsDocumentedFormAndReadsBackEqual() throws IOException {
    assertEquals(
        "{\"kind\":\"pixels\",\"width\":3,\"height\":2,\"encoding\":\"rle\","
            + "\"runs\":[0,2,1,3,0,1]}",
        Json.line(PIXELS));
    assertEquals("{\"kind\":\"spans\",\"length\":10,\"spans\":[[0,4],[5,10]]}", Json.line(SPANS));
    assertEquals(
        "{\"kind\":\"windows\",\"channels\":2,\"length\":4,"
            + "\"windows\":[[0,0,2],[0,2,4],[1,0,4]]}",
        Json.line(WINDOWS));
    assertEquals("{\"kind\":\"entries\",\"length\":3,\"entries\":[2,0]}", Json.line(ENTRIES));
    for (FeatureMap m : List.of(PIXELS, SPANS, WINDOWS, ENTRIES)) {
      assertEquals(m, Json.mapper().readValue(Json.line(m), FeatureMap.class));
    }
    assertArrayEquals(
        new int[] {0, 0, 1, 1, 1, 0},
        ((FeatureMap.Pixels) Json.mapper().readValue(Json.line(PIXELS), FeatureMap.class))
            .labels());
  }

  @Test
  void anExplanationLineCarriesEachModalitysMapOnce() throws IOException {
    Explanation e = explainOne();
    String line = Json.line(e);
    assertEquals(
        1,
        line.split("\"featureMaps\"", -1).length - 1,
        "one featureMaps per record, not per class or fit");
    assertTrue(
        line.contains(
            "\"featureMaps\":{\"a\":{\"kind\":\"entries\",\"length\":3,\"entries\":[0,1,2]},"
                + "\"b\":{\"kind\":\"entries\",\"length\":2,\"entries\":[0,1]}}"),
        line);
    Explanation back = assertInstanceOf(Explanation.class, Json.readResult(line));
    assertEquals(e.featureMaps(), back.featureMaps());
    assertEquals(line, Json.line(back), "the line reads back to the same line");
  }

  @Test
  void aLineWrittenBeforeFeatureMapsReadsWithNone() throws IOException {
    ObjectNode n = Json.mapper().valueToTree(explainOne());
    n.remove("featureMaps");
    Explanation back = assertInstanceOf(Explanation.class, Json.readResult(Json.line(n)));
    assertEquals(Map.of(), back.featureMaps());
  }

  @Test
  void aBadMapFailsNamingTheProblem() throws IOException {
    ObjectNode n = Json.mapper().valueToTree(explainOne());
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("{\"kind\":\"blobs\"}", "'kind' is \"blobs\"; expected one of [pixels, spans");
    bad.put("{\"kind\":\"entries\",\"length\":2}", "a \"entries\" map needs 'entries'");
    bad.put(
        "{\"kind\":\"entries\",\"length\":2,\"entries\":[0,1],\"x\":1}",
        "unknown field 'x' in a \"entries\" map");
    bad.put(
        "{\"kind\":\"entries\",\"length\":2,\"entries\":[0,2]}",
        "feature 1 is entry 2 of a vector of length 2");
    bad.put(
        "{\"kind\":\"entries\",\"length\":2,\"entries\":[0,\"1\"]}",
        "'entries'[1] must be an integer, found \"1\"");
    bad.put(
        "{\"kind\":\"spans\",\"length\":9,\"spans\":[[0,4],[3,6]]}", "span 1 overlaps span 0 at 3");
    bad.put(
        "{\"kind\":\"spans\",\"length\":9,\"spans\":[[0,4,5]]}",
        "'spans'[0] has 3 numbers; expected 2");
    bad.put(
        "{\"kind\":\"pixels\",\"width\":2,\"height\":2,\"encoding\":\"rle\",\"runs\":[0,3]}",
        "runs cover 3 pixels; the image has 2 x 2");
    bad.put(
        "{\"kind\":\"pixels\",\"width\":2,\"height\":2,\"encoding\":\"png\",\"runs\":[0,4]}",
        "'encoding' is \"png\"; only \"rle\" is known");
    bad.put(
        "{\"kind\":\"windows\",\"channels\":1,\"length\":4,\"windows\":[[1,0,2]]}",
        "window 0 is on channel 1 of 1");
    for (Map.Entry<String, String> b : bad.entrySet()) {
      ((ObjectNode) n.get("featureMaps")).set("a", Json.mapper().readTree(b.getKey()));
      IOException e = assertThrows(IOException.class, () -> Json.readResult(Json.line(n)));
      assertTrue(
          e.getMessage().contains("bad feature map: " + b.getValue()),
          b.getKey() + " gave: " + e.getMessage());
    }
    ((ObjectNode) n.get("featureMaps")).set("c", Json.mapper().readTree(Json.line(ENTRIES)));
    ((ObjectNode) n.get("featureMaps")).remove("a");
    IOException e = assertThrows(IOException.class, () -> Json.readResult(Json.line(n)));
    assertTrue(
        e.getMessage().contains("a feature map for 'c', which is not one of the modalities"),
        e.getMessage());
  }

  /** One explanation of a two-modality vector model (3 and 2 entries). */
  static Explanation explainOne() {
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pool.add(point("p" + i, i * 0.25));
    }
    MultimodalModel model =
        JavaModels.of(
            "test",
            2,
            OutputKind.LOGITS,
            row -> {
              double[] a = (double[]) row[0];
              double[] b = (double[]) row[1];
              double s = a[0] * b[1] + a[2] - b[0];
              return new double[] {s, -s};
            });
    try (Dime dime =
        Dime.builder()
            .modality(VectorModality.of("a", 3))
            .modality(VectorModality.of("b", 2))
            .model(model)
            .referencePool(pool)
            .estimator(Estimators.sampled(4))
            .samples(32)
            .seed(3)
            .build()) {
      return dime.explain(point("x", 1.5), Targets.predicted());
    }
  }

  private static Datapoint point(String id, double v) {
    return Datapoint.of(
        id, Map.of("a", new double[] {v, 1 - v, 2 * v}, "b", new double[] {v - 1, v}));
  }
}
