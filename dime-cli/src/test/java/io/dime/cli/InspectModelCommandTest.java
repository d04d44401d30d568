package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.ElementType;
import io.dime.core.infer.EncodedModel;
import io.dime.core.io.Json;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.plugin.PluginRegistry;
import io.dime.reproduce.SyntheticModels;
import io.dime.spi.Modality;
import io.dime.spi.ModelAdapter;
import io.dime.spi.PluginConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dime inspect-model}: the signature and a pipeline skeleton that the engine accepts. */
class InspectModelCommandTest {
  /** Runs the command line; returns {rc, stdout, stderr}. */
  static String[] run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int rc;
    try {
      rc = Main.run(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new String[] {
      Integer.toString(rc),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  /** The line of the signature comment that describes {@code tensor}. */
  private static String signatureLine(String text, String tensor) {
    return text.lines()
        .filter(l -> l.startsWith("#   " + tensor + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + tensor + " in\n" + text));
  }

  private static PipelineFile.ModalitySpec modality(PipelineFile p, String name) {
    return p.modalities().stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no modality " + name + " in " + p));
  }

  @Test
  void committedMlpGivesItsSignatureAndAPipelineThatExplains(@TempDir Path dir) throws Exception {
    Path model = SyntheticModels.file("synthetic_mlp.onnx");
    String[] r = run("inspect-model", model.toString());
    assertEquals("0", r[0], r[2]);
    String text = r[1];
    assertTrue(text.startsWith("# model: onnx:" + model), text);
    assertTrue(signatureLine(text, "d1").matches("#   d1 +FLOAT32 +\\[batch, 10\\]"), text);
    assertTrue(signatureLine(text, "d2").matches("#   d2 +FLOAT32 +\\[batch, 10\\]"), text);
    assertTrue(signatureLine(text, "logits").matches("#   logits +FLOAT32 +\\[batch, 2\\]"), text);
    assertTrue(text.contains("plugin: vector  # guess"), text);

    // The whole output is a pipeline file.
    Path pipeline = dir.resolve("skeleton.yaml");
    Files.writeString(pipeline, text);
    PipelineFile p = PipelineFile.read(pipeline);
    assertEquals(List.of("d1", "d2"), p.modalities().stream().map(m -> m.name()).toList());
    for (String m : List.of("d1", "d2")) {
      assertEquals("vector", modality(p, m).plugin());
      assertEquals(Map.of("length", 10, "input", m), modality(p, m).settings());
    }
    assertEquals("logits", p.output());
    assertEquals(io.dime.api.OutputKind.LOGITS, p.kind());

    // ... and dime explain runs with it as it is.
    ExplainCommandTest.write(dir);
    String[] a = ExplainCommandTest.args(dir);
    a[4] = pipeline.toString();
    assertEquals(1, Main.run(a), "the four bad records of the manifest fail, the rest explain");
    long explained =
        Files.readAllLines(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS)).stream()
            .filter(l -> !l.contains("\"error\""))
            .count();
    assertEquals(5, explained);
  }

  @Test
  void threeModalityMlpAndTheJsonForm() throws Exception {
    Path model = SyntheticModels.file("synthetic3_mlp.onnx");
    String[] r = run("inspect-model", "--json", "onnx:" + model);
    assertEquals("0", r[0], r[2]);
    JsonNode n = Json.mapper().readTree(r[1]);
    assertTrue(n.path("schemaVersion").isInt(), r[1]);
    assertEquals(1, n.path("schemaVersion").intValue());
    assertEquals("onnx", n.path("adapter").asText());
    assertEquals("onnx:" + model, n.path("model").asText());
    assertTrue(n.path("provenance").path("sha256").asText().matches("[0-9a-f]{64}"));
    List<String> names = new ArrayList<>();
    for (JsonNode in : n.path("inputs")) {
      names.add(in.path("name").asText());
      assertEquals("FLOAT32", in.path("type").asText());
      assertEquals(-1, in.path("shape").get(0).asLong());
      assertEquals("batch", in.path("dimensions").get(0).asText(), in.toString());
      assertTrue(in.path("shape").get(1).asLong() > 0, in.toString());
    }
    assertEquals(3, names.size(), n.toString());
    JsonNode mods = n.path("pipeline").path("modalities");
    assertEquals(3, mods.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(names.get(i), mods.get(i).path("name").asText());
      assertEquals("vector", mods.get(i).path("plugin").asText());
      assertEquals(names.get(i), mods.get(i).path("settings").path("input").asText());
    }
    assertEquals(
        n.path("outputs").get(0).path("name").asText(), n.path("pipeline").path("output").asText());
    assertTrue(n.path("guesses").size() >= 3);
  }

  /**
   * A model built here with one input of every kind: NCHW and NHWC images (one with an unnamed
   * batch dimension), token ids with an attention mask of a symbolic length, a series and a vector;
   * two outputs of which the logits are chosen. The skeleton parses, and the modalities it names,
   * made by the real plugins, fill every model input with the right types and shapes.
   */
  @Test
  void modelWithEveryKindOfInput(@TempDir Path dir) throws Exception {
    Path model =
        new TinyOnnx()
            .input("image", TinyOnnx.FLOAT, "batch", 3L, 32L, 24L)
            .input("photo", TinyOnnx.FLOAT, "?", 64L, 48L, 3L)
            .input("scan", TinyOnnx.FLOAT, "batch", 1L, 28L, 28L)
            .input("depth", TinyOnnx.FLOAT, "batch", 20L, 16L, 1L)
            .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
            .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
            .input("series", TinyOnnx.FLOAT, "batch", 2L, 50L)
            .input("vec", TinyOnnx.FLOAT, "batch", 3L)
            .output("probs", TinyOnnx.FLOAT, "batch", 3L)
            .output("logits", TinyOnnx.FLOAT, "batch", 3L)
            .node("Softmax", "vec", "probs")
            .node("Identity", "vec", "logits")
            .write(dir.resolve("every.onnx"));
    String[] r = run("inspect-model", model.toString());
    assertEquals("0", r[0], r[2]);
    String text = r[1];
    assertTrue(signatureLine(text, "image").matches(".*FLOAT32 +\\[batch, 3, 32, 24\\]"), text);
    assertTrue(signatureLine(text, "photo").matches(".*FLOAT32 +\\[\\?, 64, 48, 3\\]"), text);
    assertTrue(signatureLine(text, "input_ids").matches(".*INT64 +\\[batch, sequence\\]"), text);
    assertTrue(
        signatureLine(text, "attention_mask").matches(".*INT64 +\\[batch, sequence\\]"), text);
    assertTrue(signatureLine(text, "series").matches(".*FLOAT32 +\\[batch, 2, 50\\]"), text);
    assertTrue(signatureLine(text, "probs").matches(".*FLOAT32 +\\[batch, 3\\]"), text);
    assertTrue(text.contains("layout: nchw  # guess"), text);
    assertTrue(text.contains("layout: nhwc  # guess"), text);
    assertTrue(text.contains("vocab: vocab.txt  # TODO"), text);

    Path pipeline = dir.resolve("pipeline.yaml");
    Files.writeString(pipeline, text);
    PipelineFile p = PipelineFile.read(pipeline);
    assertEquals(
        List.of("image", "photo", "scan", "depth", "text", "series", "vec"),
        p.modalities().stream().map(m -> m.name()).toList());
    Map<String, Object> image = modality(p, "image").settings();
    assertEquals("image", modality(p, "image").plugin());
    assertEquals("nchw", image.get("layout"));
    assertEquals(List.of(24, 32), image.get("resize"), "[width, height]");
    Map<String, Object> photo = modality(p, "photo").settings();
    assertEquals("nhwc", photo.get("layout"));
    assertEquals(List.of(48, 64), photo.get("resize"));
    assertEquals(null, photo.get("channelOrder"), "three channels: the default, rgb");
    // one channel, first or last: a grey-level image
    Map<String, Object> scan = modality(p, "scan").settings();
    assertEquals(List.of("nchw", "grey"), List.of(scan.get("layout"), scan.get("channelOrder")));
    Map<String, Object> depth = modality(p, "depth").settings();
    assertEquals(List.of("nhwc", "grey"), List.of(depth.get("layout"), depth.get("channelOrder")));
    assertEquals(List.of(16, 20), depth.get("resize"));
    PipelineFile.ModalitySpec textSpec = modality(p, "text");
    assertEquals("text", textSpec.plugin());
    assertEquals("input_ids", textSpec.settings().get("inputIdsName"));
    assertEquals(true, textSpec.settings().get("attentionMask"));
    assertEquals("attention_mask", textSpec.settings().get("attentionMaskName"));
    assertEquals("wordpiece", textSpec.settings().get("encoder"));
    assertEquals(128, textSpec.settings().get("maxLength"));
    PipelineFile.ModalitySpec series = modality(p, "series");
    assertEquals("timeseries", series.plugin());
    assertEquals(2, series.settings().get("channels"));
    assertEquals(50, series.settings().get("length"));
    assertEquals("vector", modality(p, "vec").plugin());
    assertEquals(3, modality(p, "vec").settings().get("length"));
    assertEquals("logits", p.output(), "named like logits, though 'probs' comes first");
    assertEquals(io.dime.api.OutputKind.LOGITS, p.kind());

    // The guessed modalities, with a vocabulary in place of the TODO, fit the model exactly.
    Path vocab = dir.resolve("vocab.txt");
    Files.write(vocab, List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "red"));
    PluginRegistry registry = PluginRegistry.load(List.of());
    List<Modality<?>> modalities = new ArrayList<>();
    for (PipelineFile.ModalitySpec s : p.modalities()) {
      Map<String, Object> settings = new LinkedHashMap<>(s.settings());
      if (s.plugin().equals("text")) {
        settings.put("vocab", vocab.toString());
      }
      modalities.add(
          registry
              .modality(s.plugin())
              .create(s.name(), new PluginConfig("modality " + s.name(), settings)));
    }
    ModelAdapter adapter =
        registry.modelAdapter("onnx").open(model.toString(), PluginConfig.empty("model"));
    try (EncodedModel m = new EncodedModel(modalities, adapter, p.output(), p.kind(), null)) {
      assertEquals(3, m.outputCount());
    }

    // The JSON form names the symbolic and unnamed dimensions too.
    String[] j = run("inspect-model", "--json", model.toString());
    assertEquals("0", j[0], j[2]);
    JsonNode n = Json.mapper().readTree(j[1]);
    Map<String, String> dims =
        java.util.stream.StreamSupport.stream(n.path("inputs").spliterator(), false)
            .collect(
                Collectors.toMap(
                    x -> x.path("name").asText(), x -> x.path("dimensions").toString()));
    assertEquals("[\"?\",64,48,3]", dims.get("photo"));
    assertEquals("[\"batch\",\"sequence\"]", dims.get("input_ids"));
    assertEquals(
        "[-1,-1]",
        java.util.stream.StreamSupport.stream(n.path("inputs").spliterator(), false)
            .filter(x -> x.path("name").asText().equals("input_ids"))
            .findFirst()
            .orElseThrow()
            .path("shape")
            .toString());
  }

  @Test
  void inputsNoRuleMatchesAreNamedInComments() {
    PipelineSkeleton s =
        PipelineSkeleton.guess(
            List.of(
                new PipelineSkeleton.Tensor(
                    "flags", ElementType.INT64, new long[] {-1, 4}, new String[] {"n", ""}),
                new PipelineSkeleton.Tensor(
                    "x", ElementType.FLOAT32, new long[] {-1, -1}, new String[] {"n", ""}),
                new PipelineSkeleton.Tensor(
                    "tokens", ElementType.INT64, new long[] {-1, 16}, null)),
            List.of(
                new PipelineSkeleton.Tensor(
                    "score", ElementType.FLOAT32, new long[] {-1, 1}, new String[] {"n", ""})));
    String yaml = s.yaml();
    assertTrue(yaml.contains("'flags' (INT64 [n, 4]) is not named like token ids"), yaml);
    assertTrue(yaml.contains("length: 0  # the model takes any length"), yaml);
    assertTrue(yaml.contains("maxLength: 16  # the model's fixed sequence length"), yaml);
    assertTrue(yaml.contains("attentionMask: false"), yaml);
    assertTrue(yaml.contains("encoder: vocab  # guess"), yaml);
    assertTrue(yaml.contains("outputKind: regression  # guess: one value per row"), yaml);
    assertFalse(yaml.contains("classNames"), yaml);
    Map<String, Object> map = s.asMap();
    assertEquals("score", map.get("output"));
    assertEquals(
        "[{name=x, plugin=vector, settings={length=0, input=x}}, {name=text, plugin=text,"
            + " settings={vocab=vocab.txt, maxLength=16, inputIdsName=tokens,"
            + " attentionMask=false, encoder=vocab}}]",
        map.get("modalities").toString());
  }

  /**
   * A model whose only readable output is an integer label ([n] INT64, a predicted class) gets no
   * claim that no output has a shape DIME explains ([n] is one): the skeleton says the output holds
   * integers and what to do.
   */
  @Test
  void anIntegerLabelOutputIsNamedAsIntegers() {
    String yaml =
        PipelineSkeleton.guess(
                List.of(
                    new PipelineSkeleton.Tensor(
                        "x", ElementType.FLOAT32, new long[] {-1, 5}, null)),
                List.of(
                    new PipelineSkeleton.Tensor(
                        "label", ElementType.INT64, new long[] {-1}, new String[] {"n"})))
            .yaml();
    assertTrue(
        yaml.contains(
            "output: label  # output 'label' (INT64 [n]) holds integers, a predicted class"
                + " perhaps, and DIME explains scores: export the model's scores too (a"
                + " classifier's probabilities or logits) and explain them, or set outputKind:"
                + " regression if the integers are amounts (a count)\n"),
        yaml);
    assertFalse(yaml.contains("no output has a shape"), yaml);
  }

  /**
   * An output with dimensions of size 1 around its classes ([n, 1, 3], as Keras models give) is the
   * output to explain as it is, not a one-step sequence; a real sequence [n, 7, 3] stays one.
   */
  @Test
  void outputsWithUnitDimensionsAreClasses() {
    List<PipelineSkeleton.Tensor> in =
        List.of(new PipelineSkeleton.Tensor("x", ElementType.FLOAT32, new long[] {-1, 5}, null));
    String yaml =
        PipelineSkeleton.guess(
                in,
                List.of(
                    new PipelineSkeleton.Tensor(
                        "out", ElementType.FLOAT32, new long[] {-1, 1, 3}, null)))
            .yaml();
    assertTrue(yaml.contains("output: out\noutputKind: logits  # guess: 3 values per row"), yaml);
    assertFalse(yaml.contains("sequence"), yaml);
    yaml =
        PipelineSkeleton.guess(
                in,
                List.of(
                    new PipelineSkeleton.Tensor(
                        "out", ElementType.FLOAT32, new long[] {-1, 7, 3}, null)))
            .yaml();
    assertTrue(yaml.contains("sequence: ctc"), yaml);
    // a class count the model leaves open: the pipeline must name the classes
    PipelineSkeleton open =
        PipelineSkeleton.guess(
            in,
            List.of(
                new PipelineSkeleton.Tensor(
                    "out", ElementType.FLOAT32, new long[] {-1, -1}, null)));
    yaml = open.yaml();
    assertTrue(yaml.contains("output: out  # guess: [?, ?] holds class scores"), yaml);
    assertTrue(
        yaml.contains("classNames: []  # TODO: the model does not fix its class count"), yaml);
    assertEquals(List.of(), open.asMap().get("classNames"));
  }

  /**
   * A series input's channels are its shorter (or only fixed) dimension: [n, 2, 50] is nct, [n, 50,
   * 4] and [n, ?, 3] time-major; a 2-D input named like a signal is a one-channel series, any other
   * 2-D input a vector.
   */
  @Test
  void seriesLayoutsFollowTheShapeAndTheName() {
    Map<String, String> cases =
        Map.of(
            "[-1, 2, 50]", "channels=2, length=50}",
            "[-1, 50, 4]", "layout=ntc, channels=4, length=50}",
            "[-1, -1, 3]", "layout=ntc, channels=3}",
            "[-1, 3, -1]", "channels=3}");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      long[] shape =
          java.util.Arrays.stream(c.getKey().replaceAll("[\\[\\] ]", "").split(","))
              .mapToLong(Long::parseLong)
              .toArray();
      Map<String, Object> map =
          PipelineSkeleton.guess(
                  List.of(new PipelineSkeleton.Tensor("s", ElementType.FLOAT32, shape, null)),
                  List.of(
                      new PipelineSkeleton.Tensor(
                          "y", ElementType.FLOAT32, new long[] {-1, 2}, null)))
              .asMap();
      assertEquals(
          "[{name=s, plugin=timeseries, settings={input=s, " + c.getValue() + "}]",
          map.get("modalities").toString(),
          c.getKey());
    }
    Map<String, Object> map =
        PipelineSkeleton.guess(
                List.of(
                    new PipelineSkeleton.Tensor(
                        "ecg_signal", ElementType.FLOAT32, new long[] {-1, 500}, null),
                    new PipelineSkeleton.Tensor(
                        "x", ElementType.FLOAT32, new long[] {-1, 5}, null)),
                List.of(
                    new PipelineSkeleton.Tensor("y", ElementType.FLOAT32, new long[] {-1}, null)))
            .asMap();
    assertEquals(
        "[{name=ecg_signal, plugin=timeseries, settings={input=ecg_signal, layout=nt, length=500}},"
            + " {name=x, plugin=vector, settings={length=5, input=x}}]",
        map.get("modalities").toString());
  }

  @Test
  void unknownAdapterPrefixListsTheAdapters() {
    String[] r = run("inspect-model", "tensorflow:model.pb");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("no model adapter 'tensorflow'"), r[2]);
    assertTrue(r[2].contains("onnx"), r[2]);
  }
}
