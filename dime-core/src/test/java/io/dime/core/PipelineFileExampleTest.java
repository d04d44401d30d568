package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ElementType;
import io.dime.api.Explanation;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.infer.EncodedModel;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.pipeline.Pipelines;
import io.dime.core.plugin.CorePlugin;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.DimePlugin;
import io.dime.spi.Modality;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import io.dime.testkit.FunctionAdapter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PipelineFile}'s Javadoc examples, read from the source file and written as a pipeline file
 * as a user copies them: each reads, its modality is made by its plugin, and with a model that has
 * the outputs it names an engine explains its classes (the first) or its three targets (the
 * second), each scored at the point as its definition says.
 */
class PipelineFileExampleTest {
  private static final int STEPS = 4;
  private static final int CLASSES = 3;

  /** A model of d1 [n, 10] with the outputs the example names. */
  private static ModelAdapter model() {
    ModelSignature signature =
        new ModelSignature(
            List.of(new TensorSpec("d1", ElementType.FLOAT32, new long[] {-1, 10})),
            List.of(
                new TensorSpec("logits", ElementType.FLOAT32, new long[] {-1, 2}),
                new TensorSpec("maps", ElementType.FLOAT32, new long[] {-1, 2, 100, 3}),
                new TensorSpec("steps", ElementType.FLOAT32, new long[] {-1, STEPS, CLASSES}),
                new TensorSpec("image_emb", ElementType.FLOAT32, new long[] {-1, 3}),
                new TensorSpec("text_emb", ElementType.FLOAT32, new long[] {-1, 3})));
    return FunctionAdapter.of(
        signature,
        Map.of("model", "the pipeline example's"),
        in -> {
          Tensor x = in.get("d1");
          int n = (int) x.shape()[0];
          float[] logits = new float[n * 2];
          float[] maps = new float[n * 600];
          float[] steps = new float[n * STEPS * CLASSES];
          float[] image = new float[n * 3];
          float[] text = new float[n * 3];
          for (int r = 0; r < n; r++) {
            float[] v = new float[10];
            System.arraycopy(x.floats(), r * 10, v, 0, 10);
            logits[r * 2] = -v[0];
            logits[r * 2 + 1] = v[0];
            for (int i = 0; i < 600; i++) {
              maps[r * 600 + i] = map(v, i);
            }
            for (int t = 0; t < STEPS; t++) {
              double[] p = step(v, t);
              for (int c = 0; c < CLASSES; c++) {
                steps[(r * STEPS + t) * CLASSES + c] = (float) p[c];
              }
            }
            System.arraycopy(v, 0, image, r * 3, 3);
            System.arraycopy(v, 3, text, r * 3, 3);
          }
          Map<String, Tensor> out = new LinkedHashMap<>();
          out.put("logits", Tensor.ofFloats("logits", new long[] {n, 2}, logits));
          out.put("maps", Tensor.ofFloats("maps", new long[] {n, 2, 100, 3}, maps));
          out.put("steps", Tensor.ofFloats("steps", new long[] {n, STEPS, CLASSES}, steps));
          out.put("image_emb", Tensor.ofFloats("image_emb", new long[] {n, 3}, image));
          out.put("text_emb", Tensor.ofFloats("text_emb", new long[] {n, 3}, text));
          return out;
        });
  }

  /** Element i of a row's maps [2, 100, 3]: channel c, position p, band b. */
  private static float map(float[] v, int i) {
    int c = i / 300;
    int p = (i / 3) % 100;
    int b = i % 3;
    return v[(c + p + b) % 10] * (1 + b) + c;
  }

  /**
   * Step t's class probabilities: class 1 on even steps and class 2 on odd ones are the likeliest
   * for inputs in [0, 1), so CTC reads all four steps (no blank, no repeat).
   */
  private static double[] step(float[] v, int t) {
    double[] e = new double[CLASSES];
    for (int c = 0; c < CLASSES; c++) {
      e[c] = Math.exp(c == 1 + t % 2 ? 2 + v[t] : v[t + 4] * c / 4.0);
    }
    double sum = e[0] + e[1] + e[2];
    for (int c = 0; c < CLASSES; c++) {
      e[c] /= sum;
    }
    return e;
  }

  private static DimePlugin adapterPlugin() {
    return new DimePlugin() {
      @Override
      public String name() {
        return "example";
      }

      @Override
      public List<ModelAdapterFactory> modelAdapters() {
        return List.of(
            new ModelAdapterFactory() {
              @Override
              public String name() {
                return "example";
              }

              @Override
              public ModelAdapter open(String location, PluginConfig config) {
                return model();
              }
            });
      }
    };
  }

  /** The pool's first datapoint explained (every class or target) by the example's pipeline. */
  private static Explanation explained(Path dir, int example, List<Datapoint> pool)
      throws Exception {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(
        file,
        JavadocExamplesTest.example("io/dime/core/pipeline/PipelineFile.java", example),
        StandardCharsets.UTF_8);
    PipelineFile pipe = PipelineFile.read(file);
    PluginRegistry registry = PluginRegistry.of(List.of(new CorePlugin(), adapterPlugin()));
    List<Modality<?>> modalities = Pipelines.modalities(registry, pipe, file);
    assertEquals(List.of("d1"), modalities.stream().map(Modality::name).toList());
    try (EncodedModel encoded = Pipelines.model(registry, "example:m", pipe, modalities)) {
      DimeBuilder b =
          Dime.builder()
              .modality(modalities.get(0))
              .model(encoded)
              .referencePool(pool.subList(1, pool.size()))
              .samples(100);
      if (pipe.kind() != null) {
        b.outputKind(pipe.kind()); // as the command line's engine does
      }
      try (Dime dime = b.build()) {
        return dime.explain(pool.get(0), Targets.all());
      }
    }
  }

  private static List<Datapoint> pool() {
    SplittableRandom rng = new SplittableRandom(11);
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      pool.add(Datapoint.of("p" + i, Map.of("d1", rng.doubles(10).toArray())));
    }
    return pool;
  }

  private static float[] first(List<Datapoint> pool) {
    float[] v = new float[10];
    double[] d = (double[]) pool.get(0).value("d1");
    for (int j = 0; j < 10; j++) {
      v[j] = (float) d[j];
    }
    return v;
  }

  /** The first example explains the logits output's two classes, named as it names them. */
  @Test
  void theClassesExampleReadsAndItsClassesAreExplained(@TempDir Path dir) throws Exception {
    List<Datapoint> pool = pool();
    Explanation e = explained(dir, 0, pool);
    List<ClassExplanation> classes = e.classes();
    assertEquals(List.of("0", "1"), classes.stream().map(ClassExplanation::className).toList());
    float v0 = first(pool)[0];
    assertEquals(-v0, classes.get(0).output(), 1e-6);
    assertEquals(v0, classes.get(1).output(), 1e-6);
  }

  /** The second explains its three targets, each scored as its definition says. */
  @Test
  void theTargetsExampleReadsAndItsTargetsAreExplained(@TempDir Path dir) throws Exception {
    List<Datapoint> pool = pool();
    Explanation e = explained(dir, 1, pool);
    List<ClassExplanation> classes = e.classes();
    assertEquals(
        List.of("text", "read", "match"),
        classes.stream().map(ClassExplanation::className).toList());
    float[] v = first(pool);
    double mean = 0; // maps[0, 40:80, :]
    for (int p = 40; p < 80; p++) {
      for (int b = 0; b < 3; b++) {
        mean += map(v, p * 3 + b) / 120.0;
      }
    }
    assertEquals(mean, classes.get(0).output(), 1e-5);
    double read = 0;
    for (int t = 0; t < STEPS; t++) {
      read += Math.log((float) step(v, t)[1 + t % 2]);
    }
    assertEquals(read, classes.get(1).output(), 1e-5);
    double dot = 0;
    double image = 0;
    double text = 0;
    for (int j = 0; j < 3; j++) {
      dot += v[j] * v[j + 3];
      image += v[j] * v[j];
      text += v[j + 3] * v[j + 3];
    }
    assertEquals(dot / Math.sqrt(image * text), classes.get(2).output(), 1e-5);
    assertTrue(classes.stream().allMatch(c -> c.modalities().size() == 1), "each target explained");
  }
}
