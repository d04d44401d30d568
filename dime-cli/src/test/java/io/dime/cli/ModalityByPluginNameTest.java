package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.TermValue;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.JavaModels;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.pipeline.Pipelines;
import io.dime.core.plugin.PluginRegistry;
import io.dime.modality.image.Image;
import io.dime.spi.Modality;
import io.dime.testkit.JavaSources;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DimeBuilder.modality(plugin, name, settings)}: a modality made in Java by its plugin's
 * name and settings (DESIGN.md's {@code .modality("image", config)}), with the real image and
 * vector plugins that {@link java.util.ServiceLoader} finds, is the one a pipeline file's entry
 * makes, and is refused with the pipeline file's messages.
 */
class ModalityByPluginNameTest {
  private static final Map<String, Object> IMAGE =
      Map.of(
          "featurizer",
          "grid",
          "rows",
          2,
          "cols",
          2,
          "perturber",
          "constant",
          "fill",
          List.of(0, 0, 0));
  private static final Map<String, Object> VECTOR = Map.of("length", 2);

  private static final String PIPELINE =
      """
      modalities:
        - name: scene
          plugin: %s
          settings: {featurizer: grid, rows: 2, cols: 2, perturber: constant, fill: [0, 0, 0]}
        - name: num
          plugin: vector
          settings: {length: 2%s}
      output: out
      outputKind: regression
      """;

  private static Path pipeline(Path dir, String imagePlugin, String vectorExtra) throws Exception {
    Path file = dir.resolve(imagePlugin + vectorExtra.length() + ".yaml");
    Files.writeString(file, PIPELINE.formatted(imagePlugin, vectorExtra));
    return file;
  }

  private static List<Datapoint> pool() {
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("scene", ImageTextEngineTest.scene(40 * i, 30 * i));
      v.put("num", new double[] {i, 1 - i});
      pool.add(Datapoint.of("p" + i, v));
    }
    return pool;
  }

  /** The red of the scene's top-left cell times the first number, plus the second. */
  private static MultimodalModel model() {
    return JavaModels.of(
        "red x num[0] + num[1]",
        1,
        OutputKind.REGRESSION,
        row -> {
          Image im = (Image) row[0];
          double[] num = (double[]) row[1];
          double red = ImageTextEngineTest.meanChannel(im, 0, 0, 0, 16);
          return new double[] {red * num[0] + num[1]};
        });
  }

  private static Explanation explain(DimeBuilder builder) {
    List<Datapoint> pool = pool();
    try (Dime dime =
        builder
            .model(model())
            .referencePool(pool)
            .estimator(Estimators.exact(6))
            .samples(40)
            .seed(3)
            .build()) {
      assertEquals(List.of("scene", "num"), dime.modalityNames());
      return dime.explain(pool.get(5), Targets.classes("0"));
    }
  }

  @Test
  void aModalityMadeByItsPluginNameIsTheOneAPipelineFileMakes(@TempDir Path dir) throws Exception {
    Path file = pipeline(dir, "image", "");
    List<Modality<?>> fromFile =
        Pipelines.modalities(PluginRegistry.load(List.of()), PipelineFile.read(file), file);
    DimeBuilder viaFile = Dime.builder();
    fromFile.forEach(viaFile::modality);
    Explanation byFile = explain(viaFile);

    Explanation byName =
        explain(Dime.builder().modality("image", "scene", IMAGE).modality("vector", "num", VECTOR));

    assertEquals(byFile.provenance().modalities(), byName.provenance().modalities());
    assertEquals("grid", byName.provenance().modalities().get("scene").get("featurizer"));
    ClassExplanation a = byFile.forClass(0);
    ClassExplanation b = byName.forClass(0);
    assertEquals(4, b.modality("scene").featureNames().size(), "a 2 x 2 grid");
    assertEquals(
        a.decomposition().stream().map(TermValue::value).toList(),
        b.decomposition().stream().map(TermValue::value).toList());
    assertEquals(
        a.modality("scene").fit("MI").orElseThrow().weights().length,
        b.modality("scene").fit("MI").orElseThrow().weights().length);
  }

  @Test
  void anUnknownPluginAndABadSettingAreRefusedAsInAPipelineFile(@TempDir Path dir)
      throws Exception {
    PluginRegistry registry = PluginRegistry.load(List.of());
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> Dime.builder().modality("imag", "scene", IMAGE));
    assertEquals(
        "modality 'scene': no modality 'imag'; available: [image, table, text, timeseries,"
            + " vector]",
        unknown.getMessage());
    Path file = pipeline(dir, "imag", "");
    IllegalArgumentException inFile =
        assertThrows(
            IllegalArgumentException.class,
            () -> Pipelines.modalities(registry, PipelineFile.read(file), file));
    assertEquals("pipeline " + file + ", " + unknown.getMessage(), inFile.getMessage());

    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> Dime.builder().modality("vector", "num", Map.of("length", 2, "lenght", 3)));
    Path badFile = pipeline(dir, "image", ", lenght: 3");
    IllegalArgumentException badInFile =
        assertThrows(
            IllegalArgumentException.class,
            () -> Pipelines.modalities(registry, PipelineFile.read(badFile), badFile));
    assertEquals(badInFile.getMessage(), bad.getMessage());
    assertEquals(
        "modality num: unknown setting 'lenght'; known: [baseline, input, length, names]",
        bad.getMessage());
  }

  /**
   * The README's example, compiled with its own imports and run with this class's model and pool:
   * the scene is cut into the 2 x 2 grid its settings ask for.
   */
  @Test
  void theReadmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    int begin = readme.indexOf("<!-- plugin-example:begin -->");
    int end = readme.indexOf("<!-- plugin-example:end -->");
    assertTrue(begin >= 0 && end > begin, "README.md has the example's markers");
    Matcher m =
        Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(begin, end));
    assertTrue(m.find(), "a java block between the markers");
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : m.group(1).split("\n")) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    String source =
        imports
            + "public class PluginExample {\n"
            + "  public static Explanation run(io.dime.api.MultimodalModel model,"
            + " List<io.dime.api.Datapoint> pool, io.dime.api.Datapoint datapoint) {\n"
            + body
            + "    return e;\n"
            + "  }\n"
            + "}\n";
    Path classes = JavaSources.compile(dir, "PluginExample", source, "the README example");
    List<Datapoint> pool = pool();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Method run =
          loader
              .loadClass("PluginExample")
              .getMethod("run", MultimodalModel.class, List.class, Datapoint.class);
      Explanation e = (Explanation) run.invoke(null, model(), pool, pool.get(5));
      assertEquals("p5", e.id());
      assertEquals(4, e.forClass(0).modality("scene").featureNames().size(), "a 2 x 2 grid");
      assertEquals(2, e.forClass(0).modality("num").featureNames().size());
    }
  }
}
