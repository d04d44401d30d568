package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.adapter.oip.testserver.OipServerProcess;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo explained through the Open Inference Protocol equals the demo explained in process: the
 * test server (a separate process, from the oip adapter's test jar) serves the demo's ONNX file,
 * and {@code dime explain --model oip:URL} writes the same explanations as {@code --model
 * onnx:FILE}, field by field, but for timings and the model's provenance (which names the adapter)
 * even when the server fails now and then. {@code dime inspect-model oip:URL} prints the served
 * model's signature; the served-model options are refused for onnx saying why.
 */
class OipExplainTest {
  private static OipServerProcess server;
  private static Path model;

  @BeforeAll
  static void startServer(@TempDir Path dir) throws IOException {
    model = dir.resolve("fashion_vqa.onnx");
    Files.copy(DemoModels.file(DemoModels.FASHION_VQA), model);
    Path pixels =
        new TinyOnnx()
            .input("pixels", TinyOnnx.UINT8, "batch", 12L, 12L, 3L)
            .output("level", TinyOnnx.FLOAT, "batch", 12L, 12L, 3L)
            .node("Cast", "pixels", "level", Map.of("to", (long) TinyOnnx.FLOAT))
            .write(dir.resolve("pixels.onnx"));
    server = OipServerProcess.start(Map.of("fashion_vqa", model, "pixels", pixels));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void theDemoThroughOipEqualsTheDemoInProcess(@TempDir Path dir) throws IOException {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    Path manifest = data.resolve("three.jsonl");
    Files.write(manifest, demo.subList(0, 3), StandardCharsets.UTF_8);
    Path pool = data.resolve("pool.jsonl");

    Path inProcess = dir.resolve("onnx");
    String[] onnx = DemoExplain.args(model, data, manifest, pool, inProcess, 40, 4);
    assertEquals(0, Main.run(with(onnx, "--model-concurrency", "2")));

    // Served, with faults the retries outlast: two 503s, a dropped connection, a 429.
    server.faults(
        "[{\"kind\": \"status\", \"status\": 503, \"count\": 2}, {\"kind\": \"drop\"},"
            + " {\"kind\": \"status\", \"status\": 429}]");
    server.resetStats();
    Path served = dir.resolve("oip");
    String[] oip = DemoExplain.args(model, data, manifest, pool, served, 40, 4);
    oip[2] = "oip:" + server.url("fashion_vqa");
    assertEquals(
        0,
        Main.run(
            with(
                oip,
                "--model-concurrency",
                "2",
                "--model-retries",
                "4",
                "--model-timeout",
                "30",
                "--model-max-response-mb",
                "8")));
    assertEquals(0, server.faults("[]"), "every fault was met");
    assertTrue(server.stats().path("maxInFlight").asInt() <= 2, server.stats().toString());

    List<String> want = Files.readAllLines(inProcess.resolve(ExplainCommand.EXPLANATIONS));
    List<String> got = Files.readAllLines(served.resolve(ExplainCommand.EXPLANATIONS));
    assertEquals(3, want.size());
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      JsonNode w = comparable(Json.mapper().readTree(want.get(i)), "onnx", dir);
      JsonNode g = comparable(Json.mapper().readTree(got.get(i)), "oip", dir);
      List<String> diffs = new ArrayList<>();
      GoldenOutputsTest.diff("", w, g, diffs);
      if (!diffs.isEmpty()) {
        fail("line " + (i + 1) + " differs in " + diffs.size() + " place(s), first: " + diffs);
      }
    }
  }

  /** The line without timings and the model's provenance, after checking the adapter's name. */
  private static JsonNode comparable(JsonNode line, String adapter, Path dir) {
    ObjectNode n = (ObjectNode) line.deepCopy();
    assertEquals(adapter, n.at("/provenance/model/adapter").asText(), line.toString());
    n.remove("timings");
    ((ObjectNode) n.get("provenance")).remove("model");
    return GoldenOutputsTest.normalise(n, dir);
  }

  private static String[] with(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void inspectModelPrintsTheServedSignature() throws IOException {
    String url = server.url("fashion_vqa");
    String[] r = InspectModelCommandTest.run("inspect-model", "oip:" + url, "--model-retries", "1");
    assertEquals("0", r[0], r[2]);
    String text = r[1];
    assertTrue(text.startsWith("# model: oip:" + url + "\n# sha256: "), text);
    assertTrue(text.matches("(?s).*#   image +FLOAT32 +\\[batch, 3, 56, 56\\]\n.*"), text);
    assertTrue(text.matches("(?s).*#   input_ids +INT64 +\\[batch, \\?\\]\n.*"), text);
    assertTrue(text.matches("(?s).*#   logits +FLOAT32 +\\[batch, 13\\]\n.*"), text);
    r =
        InspectModelCommandTest.run(
            "inspect-model", "oip:" + url, "--json", "--model-retries", "1");
    assertEquals("0", r[0], r[2]);
    JsonNode json = Json.mapper().readTree(r[1]);
    assertEquals("oip", json.path("adapter").asText());
    assertEquals("[-1,-1]", json.at("/inputs/1/shape").toString());
    assertEquals(1, json.at("/provenance/retries").asInt(), "the option reached the adapter");
    r =
        InspectModelCommandTest.run(
            "inspect-model", "oip:" + url, "--json", "--model-max-response-mb", "3");
    assertEquals("0", r[0], r[2]);
    assertEquals(3, Json.mapper().readTree(r[1]).at("/provenance/maxResponseMegabytes").asInt());
    r = InspectModelCommandTest.run("inspect-model", "oip:" + url, "--model-max-response-mb", "0");
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].contains("'maxResponseMegabytes'"), r[2]);
    assertTrue(r[2].contains("(set by --model-max-response-mb)"), r[2]);
  }

  /**
   * A served model that takes UINT8 pixels: the listing shows the server's datatype and the
   * skeleton keeps the pixels at 0 to 255 ({@code scale: 1}), as for an ONNX file.
   */
  @Test
  void inspectModelShowsAServedUint8ImageAsSuch() {
    String url = server.url("pixels");
    String[] r = InspectModelCommandTest.run("inspect-model", "oip:" + url);
    assertEquals("0", r[0], r[2]);
    String text = r[1];
    assertTrue(
        text.contains("#   pixels  UINT8    [batch, 12, 12, 3]  (DIME sees FLOAT32: the adapter"),
        text);
    assertTrue(text.contains("      layout: nhwc  # guess"), text);
    assertTrue(text.contains("      scale: 1  # the model takes UINT8 pixels"), text);
  }

  @Test
  void badLocationsAndOptionsAreUsageErrors(@TempDir Path dir) {
    String[] r = InspectModelCommandTest.run("inspect-model", "oip:" + server.base() + "/models/x");
    assertEquals("2", r[0]);
    assertTrue(
        r[2].contains(
            "model location '"
                + server.base()
                + "/models/x' is not an OIP model address: its path must hold '/v2/models/'"
                + " once"),
        r[2]);
    r = InspectModelCommandTest.run("inspect-model", model.toString(), "--model-timeout", "5");
    assertEquals("2", r[0]);
    assertTrue(
        r[2].contains(
            "setting 'timeoutSeconds' does not apply to the onnx adapter, which runs the model in"
                + " this process"),
        r[2]);
    assertTrue(r[2].contains("(set by --model-timeout)"), r[2]);
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    String[] args =
        DemoExplain.args(
            model, data, data.resolve("demo.jsonl"), data.resolve("pool.jsonl"), dir, 40, 4);
    r = InspectModelCommandTest.run(with(args, "--model-concurrency", "0"));
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--model-concurrency must be at least 1, found 0"), r[2]);
    r = InspectModelCommandTest.run(with(args, "--model-retries", "2"));
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("setting 'retries' does not apply"), r[2]);
    assertTrue(r[2].contains("(set by --model-retries)"), r[2]);
    r = InspectModelCommandTest.run(with(args, "--model-max-response-mb", "8"));
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("setting 'maxResponseMegabytes' does not apply"), r[2]);
    assertTrue(r[2].contains("(set by --model-max-response-mb)"), r[2]);
  }
}
