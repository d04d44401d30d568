package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that keeps its weights in another file (ONNX external data, as PyTorch writes a model
 * over 2 GB; a real model made by the ONNX adapter's {@code make_test_models.py}): inspect-model
 * names the file to keep next to it, the job explains it, and a job resumed after the weights
 * changed, the model file unchanged, is refused rather than mixing two models' explanations.
 */
class ExternalDataModelTest {
  /** W and C of {@code make_test_models.py}: y = concat(a, b) @ W + C. */
  private static final double[][] W = {
    {0.5, -1.0}, {0.25, 2.0}, {-0.75, 0.125}, {1.5, -0.5}, {-2.0, 0.0625},
  };

  private static final double[] C = {0.1, -0.2};

  private static final String WEIGHTS = "external_data.weights";

  /** The explained output: the predicted class's centred logit, |y0 - y1| / 2. */
  private static double centred(double[] x) {
    double[] y = C.clone();
    for (int k = 0; k < 5; k++) {
      y[0] += x[k] * W[k][0];
      y[1] += x[k] * W[k][1];
    }
    return Math.abs(y[0] - y[1]) / 2;
  }

  @Test
  void explainedAndResumedOnlyWithTheSameWeights(@TempDir Path dir) throws Exception {
    Path models = Files.createDirectories(dir.resolve("model"));
    Path model = models.resolve("external_data.onnx");
    Files.copy(CliFixtures.onnxTestModel("external_data.onnx"), model);
    Files.copy(CliFixtures.onnxTestModel(WEIGHTS), models.resolve(WEIGHTS));

    String[] inspected = InspectModelCommandTest.run("inspect-model", model.toString());
    assertEquals("0", inspected[0], inspected[2]);
    assertTrue(
        inspected[1].contains("# external data (keep these files next to the model): " + WEIGHTS),
        inspected[1]);

    Files.writeString(dir.resolve("pipeline.yaml"), CliFixtures.twoVectors(3, 2, "[up, down]"));
    double[][] rows = {{1, 0, 0, 1, 0}, {-2, 0.5, 1, -1, 2}, {0.25, 3, 2, 0.5, -1}};
    StringBuilder manifest = new StringBuilder();
    for (int r = 0; r < rows.length; r++) {
      double[] x = rows[r];
      manifest.append(
          "{\"id\": \"r%d\", \"a\": [%s, %s, %s], \"b\": [%s, %s]}\n"
              .formatted(r, x[0], x[1], x[2], x[3], x[4]));
    }
    Files.writeString(dir.resolve("data.jsonl"), manifest);
    Files.writeString(dir.resolve("pool.jsonl"), manifest);
    String[] command =
        CliFixtures.explain(
            model, dir, "data.jsonl", "out", "--estimator", "exact", "--references", "3");
    Map<String, CliFixtures.Explained> first =
        CliFixtures.explained(
            model, dir, "data.jsonl", "--estimator", "exact", "--references", "3", "--quiet");
    assertEquals(rows.length, first.size());
    for (int r = 0; r < rows.length; r++) {
      CliFixtures.Explained x = first.get("r" + r);
      assertEquals(centred(rows[r]), x.output(), 1e-5, "r" + r);
      double sum = x.terms().values().stream().mapToDouble(Double::doubleValue).sum();
      assertEquals(x.output(), sum, 1e-9, "additivity r" + r);
    }
    Path explanations = dir.resolve("out/explanations.jsonl");
    List<String> written = Files.readAllLines(explanations);

    byte[] w = Files.readAllBytes(models.resolve(WEIGHTS));
    w[w.length - 1] ^= (byte) 0x80; // the sign of C[1]
    Files.write(models.resolve(WEIGHTS), w);
    Map.Entry<Integer, String> resumed = CliFixtures.run(command);
    assertEquals(2, resumed.getKey(), resumed.getValue()); // refused before any work
    assertTrue(
        resumed.getValue().contains("holds explanations made with other settings"),
        resumed.getValue());
    assertTrue(!resumed.getValue().contains("a rerun resumes"), resumed.getValue());
    assertEquals(written, Files.readAllLines(explanations), "nothing written before is lost");
  }
}
