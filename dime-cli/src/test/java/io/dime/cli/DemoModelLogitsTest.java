package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Datapoint;
import io.dime.api.RecordError;
import io.dime.api.run.SourceRecord;
import io.dime.core.infer.EncodedModel;
import io.dime.core.io.Json;
import io.dime.core.job.JsonlManifest;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.pipeline.Pipelines;
import io.dime.core.plugin.PluginRegistry;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import io.dime.spi.Modality;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed image+question demo model, run the way DIME runs it (the demo pipeline: the image
 * plugin reading the PNG scenes, the text plugin tokenizing with CoreNLP and encoding with the
 * vocabulary, the ONNX Runtime adapter), gives the logits that PyTorch gave when the training
 * script exported it ({@code demo_predictions} in {@code fashion_vqa.json}). Catches a pipeline
 * that encodes differently from training (scale, channel order, layout, tokens) and a model file
 * that does not match its description.
 */
class DemoModelLogitsTest {
  @Test
  void demoRecordsGiveThePyTorchLogits(@TempDir Path dir) throws Exception {
    JsonNode info;
    try (InputStream in =
        DemoModelLogitsTest.class.getResourceAsStream("/io/dime/demo/models/fashion_vqa.json")) {
      info = Json.mapper().readTree(in);
    }
    Map<String, JsonNode> expected = new HashMap<>();
    info.path("demo_predictions").forEach(p -> expected.put(p.path("id").asText(), p));
    assertEquals(24, expected.size());

    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    Path pipelineFile = data.resolve("pipeline.yaml");
    PipelineFile pipe = PipelineFile.read(pipelineFile);
    PluginRegistry registry = PluginRegistry.load(List.of());
    List<Modality<?>> modalities = Pipelines.modalities(registry, pipe, pipelineFile);
    List<SourceRecord> entries = JsonlManifest.readAll(data.resolve("demo.jsonl"), modalities);
    List<Object[]> rows = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (SourceRecord e : entries) {
      assertTrue(e.readable(), e.error().map(RecordError::message).orElse(""));
      Datapoint dp = e.datapoint().get();
      ids.add(dp.id());
      rows.add(modalities.stream().map(m -> dp.values().get(m.name())).toArray(Object[]::new));
    }
    double[][] out;
    try (EncodedModel model =
        Pipelines.model(
            registry, "onnx:" + DemoModels.file("fashion_vqa.onnx"), pipe, modalities)) {
      out = model.run(model.encode(rows));
    }
    assertEquals(ids.size(), out.length);
    for (int i = 0; i < ids.size(); i++) {
      JsonNode p = expected.get(ids.get(i));
      JsonNode logits = p.path("logits");
      assertEquals(logits.size(), out[i].length, ids.get(i));
      int best = 0;
      for (int c = 0; c < out[i].length; c++) {
        // float32 in both; PyTorch and ONNX Runtime sum in different orders, and the JSON keeps six
        // decimals.
        assertEquals(logits.get(c).asDouble(), out[i][c], 1e-4, ids.get(i) + " logit " + c);
        if (out[i][c] > out[i][best]) {
          best = c;
        }
      }
      assertEquals(p.path("predicted").asText(), pipe.classNames().get(best), ids.get(i));
    }
  }
}
