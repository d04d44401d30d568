package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap stays bounded: a 1024 x 1024 image explained with 2,000 samples by {@code dime explain}
 * in its own JVM with {@code -Xmx512m} ({@code -XX:+ExitOnOutOfMemoryError}: running out of heap
 * anywhere ends the process with a failure instead of being caught). The demo's scene is scaled up
 * to 1024 x 1024 and the demo's pipeline resizes it back to the model's 56 x 56; the image plugin
 * does so when it reads the file (since 2026-12-05; before, SLIC and the 2,000 hidden images worked
 * on the full megapixel), so what stays in memory is the decoded megapixel for a moment and the
 * small image after it. The test prints the largest heap in use after a collection (from the GC
 * log) for {@code RELIABILITY.md}.
 */
class HeapBoundTest {
  @Test
  void aMegapixelImageWith2000SamplesFitsIn512MegabytesOfHeap(@TempDir Path dir) throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    BufferedImage scene = ImageIO.read(data.resolve("scenes").resolve("0000.png").toFile());
    BufferedImage big = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = big.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(scene, 0, 0, 1024, 1024, null);
    g.dispose();
    ImageIO.write(big, "png", data.resolve("big.png").toFile());
    Files.writeString(
        data.resolve("big.jsonl"),
        "{\"id\": \"big\", \"image\": \"big.png\", \"question\": \"What is in the top left?\"}\n");
    String pipeline =
        Files.readString(data.resolve("pipeline.yaml"))
            .replace("      layout: nchw\n", "      layout: nchw\n      resize: [56, 56]\n");
    assertTrue(pipeline.contains("resize: [56, 56]"));
    Files.writeString(data.resolve("big-pipeline.yaml"), pipeline);

    Path out = dir.resolve("out");
    Path gcLog = dir.resolve("gc.log");
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-Xlog:gc:file=" + gcLog);
    cmd.add("-cp");
    cmd.add(cp);
    cmd.add(Main.class.getName());
    cmd.addAll(
        List.of(
            "explain",
            "--model",
            "onnx:" + DemoModels.file(DemoModels.FASHION_VQA),
            "--pipeline",
            data.resolve("big-pipeline.yaml").toString(),
            "--data",
            data.resolve("big.jsonl").toString(),
            "--pool",
            data.resolve("pool.jsonl").toString(),
            "--out",
            out.toString(),
            "--samples",
            "2000",
            "--references",
            "4",
            "--threads",
            "2",
            "--quiet"));
    Path log = dir.resolve("explain.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), "finished");
    String said = Files.readString(log);
    assertEquals(0, p.exitValue(), said);
    assertFalse(said.contains("OutOfMemoryError"), said);

    List<String> lines =
        Files.readAllLines(out.resolve(ExplainCommand.EXPLANATIONS), StandardCharsets.UTF_8);
    assertEquals(1, lines.size());
    JsonNode e = Json.mapper().readTree(lines.get(0));
    assertEquals("big", e.path("id").asText());
    assertEquals(2000, e.at("/provenance/samples").asInt(), e.path("provenance").toString());
    assertTrue(e.at("/classes/0/modalities/0/featureNames").size() > 4, "the image was segmented");

    // the largest heap in use after a collection, from lines like "... 120M->35M(512M) ..."
    long peakAfterGc = 0;
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)")
            .matcher(Files.readString(gcLog));
    while (m.find()) {
      peakAfterGc = Math.max(peakAfterGc, Long.parseLong(m.group(2)));
    }
    System.out.printf(
        "heap bound: 1024x1024 image, 2000 samples, -Xmx512m: exit 0; largest heap after a"
            + " collection %d MB%n",
        peakAfterGc);
    assertTrue(peakAfterGc < 512, "heap after GC " + peakAfterGc + " MB");
  }
}
