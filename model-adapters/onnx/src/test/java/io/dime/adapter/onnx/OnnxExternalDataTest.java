package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.spi.PluginConfig;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models that keep their weights in other files (ONNX external data, as PyTorch writes a model over
 * 2 GB): real models made by {@code make_test_models.py}. They run as the same model in one file
 * does; their provenance covers the weights' files, so other weights are another model.
 */
class OnnxExternalDataTest {
  private static final String WEIGHTS = "external_data.weights";

  private static Path copy(Path dir, String... resources) throws Exception {
    for (String r : resources) {
      Path to = dir.resolve(r);
      Files.createDirectories(to.getParent());
      Files.copy(Path.of(TestModels.path(r)), to);
    }
    return dir.resolve(resources[0]);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static OnnxModelAdapter open(Path model) {
    return OnnxModelAdapter.open(model.toString(), PluginConfig.of("onnx"));
  }

  @Test
  void runsAsTheModelInOneFileAndItsProvenanceCoversTheWeights(@TempDir Path dir) throws Exception {
    Path model = copy(dir, "external_data.onnx", WEIGHTS);
    Map<String, Tensor> in = TestModels.linearInputs(37, 5);
    try (OnnxModelAdapter m = open(model)) {
      float[] y = m.run(in, List.of("y")).get("y").floats();
      assertArrayEquals(
          TestModels.linear(in.get("a").floats(), in.get("b").floats(), 37), y, 1e-5f);
      Map<String, Object> p = m.provenance();
      assertEquals(sha256(model), p.get("sha256"));
      assertEquals(
          Map.of(WEIGHTS, sha256(dir.resolve(WEIGHTS))), p.get(OnnxModelAdapter.EXTERNAL_DATA));
    }
    try (OnnxModelAdapter one = open(Path.of(TestModels.path("two_inputs.onnx")))) {
      assertFalse(one.provenance().containsKey(OnnxModelAdapter.EXTERNAL_DATA));
    }
  }

  /** The model file unchanged, other weights: the provenance differs (a resumed job refuses). */
  @Test
  void otherWeightsAreAnotherModel(@TempDir Path dir) throws Exception {
    Path model = copy(dir, "external_data.onnx", WEIGHTS);
    Map<String, Object> before;
    try (OnnxModelAdapter m = open(model)) {
      before = m.provenance();
    }
    byte[] w = Files.readAllBytes(dir.resolve(WEIGHTS));
    w[w.length - 1] ^= (byte) 0x80; // the sign of the last float (C[1])
    Files.write(dir.resolve(WEIGHTS), w);
    Map<String, Tensor> in = TestModels.linearInputs(3, 9);
    try (OnnxModelAdapter m = open(model)) {
      Map<String, Object> after = m.provenance();
      assertEquals(before.get("sha256"), after.get("sha256"));
      assertNotEquals(before, after);
      float[] y = m.run(in, List.of("y")).get("y").floats();
      float[] want = TestModels.linear(in.get("a").floats(), in.get("b").floats(), 3);
      assertEquals(want[1] + 0.4f, y[1], 1e-6f); // C[1] is now +0.2
    }
  }

  @Test
  void missingWeightsFailAtOpenSayingWhatToDo(@TempDir Path dir) throws Exception {
    Path model = copy(dir, "external_data.onnx");
    ModelException e = assertThrows(ModelException.class, () -> open(model));
    assertTrue(e.getMessage().contains(WEIGHTS), e.getMessage());
    assertTrue(e.getMessage().contains(model.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("copy them with the model file"), e.getMessage());
  }

  /**
   * Tensors of subgraphs (an If's branches) and of Constant nodes are found too, each file once, in
   * the order of the file (nodes before initializers; the If's attributes by name: else_branch,
   * then then_branch). ONNX Runtime 1.28 cannot fold this model's If (it reads the condition, kept
   * in external data, from the working directory): the adapter opens it without constant folding,
   * says so in the provenance, and it runs right.
   */
  @Test
  void tensorsInSubgraphsAndNodesAreFoundAndFoldingIsOffWhereOnnxRuntimeFails() throws Exception {
    Path model = Path.of(TestModels.path("external_nested/model.onnx"));
    List<String> files = List.of("K3", "K2", "K4", "K1", "c");
    assertEquals(files, ExternalData.locations(model));
    try (OnnxModelAdapter m = open(model)) {
      Tensor a = Tensor.ofFloats("a", new long[] {2, 2}, new float[] {0, 0, 0.5f, -1});
      float[] y = m.run(Map.of("a", a), List.of("y")).get("y").floats();
      assertArrayEquals(new float[] {11.5f, 22.5f, 12f, 21.5f}, y);
      Map<String, Object> p = m.provenance();
      @SuppressWarnings("unchecked")
      Map<String, String> digests = (Map<String, String>) p.get(OnnxModelAdapter.EXTERNAL_DATA);
      assertEquals(files, List.copyOf(digests.keySet()));
      assertEquals(sha256(model.resolveSibling("K2")), digests.get("K2"));
      assertEquals(List.of("ConstantFolding"), p.get("disabledOptimizers"));
    }
    assertEquals(List.of(), ExternalData.locations(Path.of(TestModels.path("two_inputs.onnx"))));
    try (OnnxModelAdapter m = open(Path.of(TestModels.path("external_data.onnx")))) {
      assertFalse(m.provenance().containsKey("disabledOptimizers"));
    }
  }

  /** A damaged file gives locations or IllegalStateException, never another failure. */
  @Test
  void damagedFilesFailOnlyAsNotAModel() throws Exception {
    byte[] model = Files.readAllBytes(Path.of(TestModels.path("external_nested/model.onnx")));
    int read = 0;
    for (int cut = 0; cut < model.length; cut++) {
      for (byte[] damaged : List.of(Arrays.copyOf(model, cut), flip(model, cut))) {
        try {
          List<String> found = ExternalData.locations(ByteBuffer.wrap(damaged));
          assertTrue(found.size() <= 8, found::toString);
          read++;
        } catch (IllegalStateException e) {
          // not a model: expected for most
        }
      }
    }
    assertTrue(read > 0, "some damage leaves a readable message");
  }

  private static byte[] flip(byte[] b, int at) {
    byte[] out = b.clone();
    out[at] ^= (byte) 0x5a;
    return out;
  }
}
