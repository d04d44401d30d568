package io.dime.examples.poly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.ModelAdapter;
import io.dime.spi.PluginConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What only this adapter knows: the model's exact formula, its file format's errors and its one
 * setting; and that core's registry finds it next to the built-in plugins.
 */
class PolyModelTest {
  private static final String MODEL = "src/test/resources/model.properties";
  private static final PluginConfig NO_SETTINGS = PluginConfig.empty("model adapter 'poly'");

  @TempDir Path dir;

  @Test
  void computesTheFormulaExactly() {
    // y = bias + w_a.a + w_b.b + c * (u_a.a) * (u_b.b), with w_a = (1,2,3), w_b = 0.5 (each),
    // u_a = 1 (each), u_b = (1,-1), c = 2, bias = 0.1; logits [-y, y].
    // row 0: a = (1, 0, 1),    b = (2, 1):  0.1 + 4   + 1.5 + 2 * 2   * 1  =  9.6
    // row 1: a = (0.5, -1, 2), b = (-1, 3): 0.1 + 4.5 + 1   + 2 * 1.5 * -4 = -6.4
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("a", Tensor.ofFloats("a", new long[] {2, 3}, new float[] {1, 0, 1, 0.5f, -1, 2}));
    in.put("b", Tensor.ofFloats("b", new long[] {2, 2}, new float[] {2, 1, -1, 3}));
    try (ModelAdapter adapter = new PolyModelAdapterFactory().open(MODEL, NO_SETTINGS)) {
      Tensor logits = adapter.run(in, List.of("logits")).get("logits");
      assertArrayEquals(new long[] {2, 2}, logits.shape());
      assertArrayEquals(new float[] {-9.6f, 9.6f, 6.4f, -6.4f}, logits.floats(), 1e-6f);
    }
  }

  @Test
  void keysLeftOutTakeTheirDefaults() throws IOException {
    // No weights, interaction, bias or output: y = 0 for every row, under the output 'logits'.
    Path file = write("inputs=x\nx.size=2\n");
    try (ModelAdapter adapter = new PolyModelAdapterFactory().open(file.toString(), NO_SETTINGS)) {
      Map<String, Tensor> in =
          Map.of("x", Tensor.ofFloats("x", new long[] {1, 2}, new float[] {3, 4}));
      assertArrayEquals(
          new float[] {0, 0}, adapter.run(in, List.of("logits")).get("logits").floats(), 1e-6f);
    }
  }

  /** Each bad file fails to open, naming the file and, in its words, the problem. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a.size=3                               | 'inputs' is missing",
        "inputs=a                               | 'a.size' is missing",
        "inputs=a,a\\na.size=1                  | 'inputs' lists 'a' twice",
        "inputs=a b\\na.size=1                  | 'inputs' has 'a b'",
        "inputs=a\\na.size=0                    | 'a.size' is '0'; expected a whole number",
        "inputs=a\\na.size=two                  | 'a.size' is 'two'",
        "inputs=a\\na.size=3\\na.weights=1,2    | 'a.weights' has 2 numbers; expected 1",
        "inputs=a\\na.size=2\\na.interaction=1,x | 'a.interaction' has 'x'; expected a finite",
        "inputs=a\\na.size=1\\nbias=NaN         | 'bias' has 'NaN'",
        "inputs=a\\na.size=1\\na.wieghts=1      | unknown key 'a.wieghts'; known: [a.interaction",
        "inputs=a\\na.size=1\\noutput=a         | 'output' is 'a'",
      })
  void aBadModelFileIsAModelExceptionNamingTheFileAndTheProblem(String text, String problem)
      throws IOException {
    Path file = write(text.replace("\\n", "\n"));
    ModelException e =
        assertThrows(
            ModelException.class,
            () -> new PolyModelAdapterFactory().open(file.toString(), NO_SETTINGS));
    assertTrue(e.getMessage().startsWith("poly model '" + file + "': "), "names the file: " + e);
    assertTrue(e.getMessage().contains(problem), "names the problem '" + problem + "': " + e);
  }

  @Test
  void aBadSettingFailsNamingIt() {
    PluginConfig zero = PluginConfig.of("model adapter 'poly'", "concurrency", 0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new PolyModelAdapterFactory().open(MODEL, zero));
    assertEquals(
        "model adapter 'poly': setting 'concurrency' must be at least 1; found 0", e.getMessage());
    PluginConfig timeout = PluginConfig.of("model adapter 'poly'", "timeoutSeconds", 5);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PolyModelAdapterFactory().open(MODEL, timeout));
    assertTrue(e.getMessage().contains("unknown setting 'timeoutSeconds'"), e.getMessage());
  }

  @Test
  void provenanceRecordsTheFileAndTheSettings() {
    PluginConfig two = PluginConfig.of("model adapter 'poly'", "concurrency", 2);
    try (ModelAdapter adapter = new PolyModelAdapterFactory().open(MODEL, two)) {
      Map<String, Object> p = adapter.provenance();
      assertEquals(List.of("a", "b"), p.get("inputs"));
      assertEquals("logits", p.get("output"));
      assertEquals(2, p.get("concurrency"));
      assertEquals(System.getProperty("java.version"), p.get("java"));
    }
  }

  @Test
  void coreFindsTheAdapterNextToTheBuiltInPlugins() {
    PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
    assertEquals("poly", registry.pluginOf(registry.modelAdapter("poly")).name());
  }

  private Path write(String text) throws IOException {
    return Files.writeString(dir.resolve("model.properties"), text, StandardCharsets.UTF_8);
  }
}
