package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.core.io.Json;
import io.dime.demo.DemoData;
import io.dime.demo.DemoModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dime report OUT_DIR}: the report of a finished run drawn again from its files, without the
 * model, is the run's own report byte for byte (a broken record and a resumed run included); a
 * folder that is not a run's output is refused with a message.
 */
class ReportCommandTest {
  @Test
  void redrawsTheRunsReportWithoutTheModel(@TempDir Path dir) throws Exception {
    Path data = DemoData.unpack(DemoData.FASHION, dir.resolve("fashion"));
    List<String> demo = Files.readAllLines(data.resolve("demo.jsonl"), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(demo.subList(0, 2));
    lines.add(demo.get(2).replace("\"scenes/", "\"scenes/missing-"));
    Path manifest = data.resolve("three.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    Path model = dir.resolve("model.onnx");
    Files.copy(DemoModels.file(DemoModels.FASHION_VQA), model);
    Path out = dir.resolve("out");
    String[] args = DemoExplain.args(model, data, manifest, data.resolve("pool.jsonl"), out, 40, 4);
    assertEquals(1, Main.run(args), "one record cannot be read");
    // A rerun into the same folder resumes: the kept explanations are drawn from the file.
    assertEquals(1, Main.run(args));
    Path report = out.resolve(ExplainCommand.REPORT);
    byte[] first = Files.readAllBytes(report);
    String html = new String(first, StandardCharsets.UTF_8);
    assertTrue(html.contains("data:image/png;base64"), "the run's report has the plugins' views");

    Files.delete(model);
    Files.delete(report);
    assertEquals(0, Main.run("report", out.toString()));
    assertEquals(-1L, Files.mismatch(report, writeBytes(dir.resolve("first.html"), first)));

    // Smaller bounds: one card a page, two cards in all; the third record is counted, not drawn.
    assertEquals(
        0, Main.run("report", out.toString(), "--report-cards", "2", "--report-page-cards", "1"));
    String paged = Files.readString(report, StandardCharsets.UTF_8);
    assertTrue(paged.contains("All 3 records: 2 cards on 2 pages"), paged);
    assertTrue(paged.contains("The last 1 record has no card"));
    Path second = out.resolve("report-2.html");
    assertTrue(Files.readString(second, StandardCharsets.UTF_8).contains("id=\"card-1\""));
    assertFalse(Files.exists(out.resolve("report-3.html")));
    // Drawn again with the defaults: one page, the run's own, and the second page is gone.
    assertEquals(0, Main.run("report", out.toString()));
    assertEquals(-1L, Files.mismatch(report, dir.resolve("first.html")));
    assertFalse(Files.exists(second));
    try (var files = Files.list(out)) {
      assertEquals(
          List.of(),
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
    }

    // The first record's scene replaced by the second's after the run: not drawn under its weights
    String scene0 = Json.mapper().readTree(lines.get(0)).path("image").asText();
    String scene1 = Json.mapper().readTree(lines.get(1)).path("image").asText();
    Files.copy(data.resolve(scene1), data.resolve(scene0), StandardCopyOption.REPLACE_EXISTING);
    String[] r = InspectModelCommandTest.run("report", out.toString());
    assertEquals("1", r[0], r[2]);
    String id0 = Json.mapper().readTree(lines.get(0)).path("id").asText();
    assertTrue(r[2].contains("record '" + id0 + "': its input changed since the run"), r[2]);
    String changed = Files.readString(report, StandardCharsets.UTF_8);
    String card0 =
        changed.substring(changed.indexOf("id=\"card-0\""), changed.indexOf("id=\"card-1\""));
    assertTrue(card0.contains("Its input changed since the run"), card0);
    assertFalse(card0.contains("data:image/png"), "neither the new scene nor a map over it");
    String card1 = changed.substring(changed.indexOf("id=\"card-1\""));
    assertTrue(card1.contains("data:image/png"), "the unchanged record keeps its views");
  }

  @Test
  void badReportBoundsAreUsageErrors(@TempDir Path dir) throws Exception {
    String[] r = InspectModelCommandTest.run("report", dir.toString(), "--report-cards", "-1");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--report-cards must be 0 or more, found -1"), r[2]);
    r = InspectModelCommandTest.run("report", dir.toString(), "--report-page-cards", "0");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--report-page-cards must be 1 or more, found 0"), r[2]);
    List<String> explain =
        new ArrayList<>(
            List.of(
                DemoExplain.args(
                    dir.resolve("m.onnx"),
                    dir,
                    dir.resolve("d.jsonl"),
                    dir.resolve("p.jsonl"),
                    dir.resolve("out"),
                    40,
                    4)));
    explain.addAll(List.of("--report-worst", "-3"));
    r = InspectModelCommandTest.run(explain.toArray(String[]::new));
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--report-worst must be 0 or more, found -3"), r[2]);
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    String help = InspectModelCommandTest.run("explain", "--help")[1];
    for (String option : List.of("--report-cards", "--report-page-cards", "--report-worst")) {
      assertTrue(help.contains(option), help);
      assertTrue(InspectModelCommandTest.run("report", "--help")[1].contains(option));
    }
  }

  @Test
  void aFolderWithoutARunIsRefused(@TempDir Path dir) throws Exception {
    String[] r = InspectModelCommandTest.run("report", dir.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("no job.json in " + dir), r[2]);
  }

  private static Path writeBytes(Path file, byte[] bytes) throws Exception {
    Files.write(file, bytes);
    return file;
  }
}
