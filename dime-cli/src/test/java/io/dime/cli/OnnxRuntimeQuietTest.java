package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.adapter.onnx.OnnxModelAdapter;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.demo.DemoModels;
import io.dime.spi.PluginConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A model that fails while it runs leaves its error to the caller's exception: ONNX Runtime's
 * native logger writes nothing to standard error (it wrote a coloured line of its own, under {@code
 * --quiet} too, which a {@code --log-json -} reader had to skip). Runs in a JVM of its own, since
 * the native logger writes to file descriptor 2, which no in-process stream captures.
 */
class OnnxRuntimeQuietTest {

  /** Runs the demo model on a token id out of its vocabulary and prints the caught message. */
  public static void main(String[] args) {
    Path model = DemoModels.file(DemoModels.FASHION_VQA);
    try (OnnxModelAdapter a = OnnxModelAdapter.open(model.toString(), PluginConfig.empty("onnx"))) {
      long[] ids = new long[12];
      Arrays.fill(ids, 999_999L);
      long[] mask = new long[ids.length];
      Arrays.fill(mask, 1L);
      Map<String, Tensor> in =
          Map.of(
              "image",
              Tensor.ofFloats("image", new long[] {1, 3, 56, 56}, new float[3 * 56 * 56]),
              "input_ids",
              Tensor.ofLongs("input_ids", new long[] {1, ids.length}, ids),
              "attention_mask",
              Tensor.ofLongs("attention_mask", new long[] {1, mask.length}, mask));
      a.run(in, List.of(a.signature().outputs().get(0).name()));
      System.out.println("ran");
    } catch (ModelException e) {
      System.out.println("caught: " + e.getMessage());
    }
  }

  @Test
  void aFailedRunLogsNothingOfItsOwn() throws Exception {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(OnnxRuntimeQuietTest.class.getName());
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String stdout = new String(out, StandardCharsets.UTF_8);
    String stderr = new String(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), stdout + stderr);
    assertTrue(stdout.startsWith("caught: "), stdout);
    assertTrue(stdout.contains("indices element out of data bounds"), stdout);
    assertFalse(stderr.contains("onnxruntime"), stderr);
  }
}
