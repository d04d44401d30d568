package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.FeatureMap;
import io.dime.core.Featurizer;
import io.dime.core.io.Json;
import io.dime.core.plugin.PluginRegistry;
import io.dime.demo.DemoData;
import io.dime.spi.FeatureSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature maps of the golden demo output (what a demo run writes, by {@link GoldenOutputsTest})
 * decode exactly to the features the plugins make of the same inputs: every pixel's superpixel
 * label, and every word's offsets.
 */
class DemoFeatureMapsTest {
  @Test
  void theDemoMapsDecodeToTheFeaturizersLabelsAndOffsets(@TempDir Path dir) throws IOException {
    Path data = DemoData.unpack(DemoData.FASHION, dir);
    JobInputs in =
        JobInputs.read(
            PluginRegistry.load(List.of()),
            data.resolve("pipeline.yaml"),
            data.resolve("demo.jsonl"),
            data.resolve("pool.jsonl"),
            null,
            0,
            JobInputs.Access.DEFAULT);
    Featurizer featurizer = Featurizer.forPool(in.modalities(), in.pool().points(), 0);
    Map<String, Datapoint> byId = new HashMap<>();
    // beside its --pool the demo's records are held without their values: read each again
    in.records().forEach(r -> in.withValues(r).datapoint().ifPresent(dp -> byId.put(dp.id(), dp)));
    List<String> lines =
        Files.readAllLines(
            GoldenOutputsTest.GOLDEN.resolve("demo-explanations.jsonl"), StandardCharsets.UTF_8);
    assertEquals(24, lines.size());
    for (String line : lines) {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(line);
      n.putObject("timings").put("totalSeconds", 0.0).put("modelSeconds", 0.0);
      Explanation e = (Explanation) Json.readResult(Json.line(n));
      Map<String, FeatureSet<?>> features = featurizer.features(byId.get(e.id()));
      assertEquals(features.keySet(), e.featureMaps().keySet(), e.id());

      FeatureSet<?> image = features.get("image");
      FeatureMap.Pixels pixels = (FeatureMap.Pixels) e.featureMaps().get("image");
      assertEquals(image.layout().get("width"), pixels.width(), e.id());
      assertEquals(image.layout().get("height"), pixels.height(), e.id());
      assertArrayEquals((int[]) image.layout().get("segments"), pixels.labels(), e.id());
      assertEquals(image.size(), pixels.size(), e.id());
      assertEquals(
          image.names(), e.classes().get(0).modality("image").featureNames(), "image " + e.id());

      FeatureSet<?> question = features.get("question");
      FeatureMap.Spans spans = (FeatureMap.Spans) e.featureMaps().get("question");
      String text = (String) question.value();
      assertEquals(text.codePointCount(0, text.length()), spans.length(), e.id());
      List<?> words = (List<?>) question.layout().get("features");
      assertEquals(words.size(), spans.size(), e.id());
      for (int i = 0; i < words.size(); i++) {
        Map<?, ?> word = (Map<?, ?>) words.get(i);
        // the demo's questions are ASCII, where code points and chars count alike
        assertEquals(word.get("begin"), spans.begins()[i], e.id() + " word " + i);
        assertEquals(word.get("end"), spans.ends()[i], e.id() + " word " + i);
        assertEquals(word.get("text"), text.substring(spans.begins()[i], spans.ends()[i]));
      }
      assertEquals(
          question.names(),
          e.classes().get(0).modality("question").featureNames(),
          "question " + e.id());
    }
  }
}
