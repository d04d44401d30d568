package io.dime.adapter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ModelException;
import io.dime.spi.PluginConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime that cannot unpack its native library (the temporary folder missing; full or mounted
 * noexec fail the same way) stops with one message naming the folder, the cause and the way out.
 * Runs in a JVM of its own: the runtime starts once per JVM.
 */
class OnnxStartTest {
  /** Opens a model and prints the error, if any, on standard output. */
  public static void main(String[] args) {
    try (OnnxModelAdapter a = OnnxModelAdapter.open(args[0], PluginConfig.empty("onnx"))) {
      System.out.println("opened");
    } catch (ModelException e) {
      System.out.println(e.getMessage());
    }
  }

  /**
   * Before, the message was "ONNX Runtime could not start (its native library failed to load on
   * Linux/amd64): java.lang.ExceptionInInitializerError" (a full folder: a 25-line stack trace from
   * the runtime's log, then "no onnxruntime in java.library.path").
   */
  @Test
  void aTemporaryFolderThatIsMissingIsNamedWithTheWayOut(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("no such tmp");
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Djava.io.tmpdir=" + missing,
                    "-cp",
                    cp,
                    OnnxStartTest.class.getName(),
                    TestModels.path("two_inputs.onnx")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    assertTrue(out.startsWith("ONNX Runtime could not start: its native library failed"), out);
    assertTrue(out.contains(missing.resolve("onnxruntime-java").toString()), out);
    assertTrue(out.contains(": no such file or directory)"), out);
    assertTrue(
        out.contains(
            "ONNX Runtime unpacks that library into the temporary folder "
                + missing
                + " (java.io.tmpdir) and loads it from there: if that folder is missing, full or"
                + " mounted noexec, give another with -Djava.io.tmpdir=DIR in DIME_JAVA_OPTS"),
        out);
    assertFalse(err.contains("\tat "), "no stack trace on standard error: " + err);
  }
}
