package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What summary.json aggregates over the records is what explanations.jsonl holds, recomputed here
 * from its lines: a run with --replicates 2 and a record that fails, resumed with one record
 * dropped (its line is stale), the failed one mended, four new ones and another that fails. The
 * counts, the pass totals and the dominance table (per type and modality, the mean over explained
 * (record, class) pairs of the mean |weight| of the top 5 features; labels make some records
 * explain two classes), and the report's summary tables show the same numbers.
 */
class SummaryFromExplanationsTest {
  private static final String[] TEXTS = {
    "good movie great plot",
    "boring movie bad plot",
    "great great good",
    "bad boring plot",
    "movie plot good bad",
    "great movie boring",
    "good good plot",
    "bad movie",
    "plot plot",
    "good bad good"
  };

  private static String record(String id, int i, boolean bad, String label) {
    String num = bad ? "[1.0]" : "[" + (i * 0.5) + ", " + (1 - i * 0.25) + "]";
    return "{\"id\": \""
        + id
        + "\", \"text\": \""
        + TEXTS[i]
        + "\", \"num\": "
        + num
        + (label == null ? "" : ", \"label\": \"" + label + "\"")
        + "}\n";
  }

  private static void write(Path file, int from, int to, Set<Integer> bad) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(record("r" + i, i, bad.contains(i), String.valueOf(i % 2)));
    }
    Files.writeString(file, sb);
  }

  private static String[] explain(Path dir, String data) {
    return InspectModelCommandTest.run(
        CliFixtures.explain(
            dir.resolve("text_bow.onnx"),
            dir,
            data,
            "out",
            "--references",
            "4",
            "--samples",
            "40",
            "--replicates",
            "2",
            "--quiet"));
  }

  @Test
  void summaryAndReportAreTheExplanationsAggregated(@TempDir Path dir) throws Exception {
    Files.copy(CliFixtures.onnxTestModel("text_bow.onnx"), dir.resolve("text_bow.onnx"));
    Files.writeString(dir.resolve("pipeline.yaml"), ReportChecksTest.PIPELINE); // text_bow.onnx
    StringBuilder pool = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      pool.append(record("p" + i, i, false, null));
    }
    Files.writeString(dir.resolve("pool.jsonl"), pool);
    write(dir.resolve("first.jsonl"), 0, 6, Set.of(3));
    write(dir.resolve("second.jsonl"), 1, 10, Set.of(8));
    assertEquals("1", explain(dir, "first.jsonl")[0]); // 1: a record failed
    String[] second = explain(dir, "second.jsonl");
    assertEquals("1", second[0], second[2]);

    Path out = dir.resolve("out");
    JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(out.resolve("explanations.jsonl"))) {
      lines.add(Json.mapper().readTree(l));
    }
    Set<String> current = new HashSet<>();
    for (int i = 1; i < 10; i++) {
      current.add("r" + i);
    }
    int explained = 0;
    int failed = 0;
    int stale = 0;
    long rows = 0;
    long cached = 0;
    long formula = 0;
    Map<String, double[]> dominance = new LinkedHashMap<>(); // type/modality: sum, count
    for (JsonNode n : lines) {
      if (!current.contains(n.path("id").asText())) {
        stale++;
        continue;
      }
      if (n.has("error")) {
        failed++;
        continue;
      }
      explained++;
      rows += n.path("passes").path("rows").asLong();
      cached += n.path("passes").path("cachedRows").asLong();
      formula += n.path("passes").path("formula").asLong();
      for (JsonNode c : n.path("classes")) {
        for (JsonNode m : c.path("modalities")) {
          for (JsonNode f : m.path("fits")) {
            String key = f.path("key").asText();
            if (List.of("UC", "MI", "LIME").contains(key)) {
              double[] w = new double[f.path("weights").size()];
              for (int i = 0; i < w.length; i++) {
                w[i] = -Math.abs(f.path("weights").get(i).asDouble());
              }
              Arrays.sort(w);
              int top = Math.min(5, w.length);
              double s = 0;
              for (int i = 0; i < top; i++) {
                s -= w[i];
              }
              double[] acc =
                  dominance.computeIfAbsent(
                      key + "/" + m.path("modality").asText(), x -> new double[2]);
              acc[0] += s / top;
              acc[1]++;
            }
          }
        }
      }
    }
    JsonNode counts = summary.path("counts");
    assertEquals(1, stale); // r0, kept from the first run
    assertEquals(stale, counts.path("staleLines").asInt());
    assertEquals(8, explained);
    assertEquals(explained, counts.path("explained").asInt());
    assertEquals(failed, counts.path("failed").asInt());
    assertEquals(1, failed); // r8; r3 was mended and explained again
    assertEquals(9, counts.path("records").asInt());
    assertEquals(4, counts.path("resumed").asInt()); // r1, r2, r4, r5
    assertEquals(4, counts.path("explainedThisRun").asInt()); // r3, r6, r7, r9
    assertEquals(rows, summary.path("passes").path("totalRows").asLong());
    assertEquals(cached, summary.path("passes").path("cachedRows").asLong());
    assertEquals(formula, summary.path("passes").path("formulaTotal").asLong());
    assertEquals(6, dominance.size());
    String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
    Map<String, String> shown = dominanceTable(html);
    for (Map.Entry<String, double[]> e : dominance.entrySet()) {
      String[] tm = e.getKey().split("/");
      double want = e.getValue()[0] / e.getValue()[1];
      double got = summary.path("dominance").path(tm[0]).path(tm[1]).asDouble();
      assertEquals(want, got, 1e-12 * want, e.getKey());
      double drawn = Double.parseDouble(shown.get(e.getKey()));
      assertEquals(want, drawn, 5e-4 * want, e.getKey() + " in the report");
    }
    for (String key : List.of("records", "explained", "failed", "resumed", "staleLines")) {
      Matcher m =
          Pattern.compile("<th>" + key + "</th><td class=\"num\">(\\d+)</td>").matcher(html);
      assertTrue(m.find(), key + " in the report");
      assertEquals(counts.path(key).asText(), m.group(1), key + " in the report");
    }
  }

  /** The report's dominance table: "TYPE/modality" to the number drawn. */
  private static Map<String, String> dominanceTable(String html) {
    int at = html.indexOf("<h3>Dominance</h3>");
    assertTrue(at >= 0, "no dominance table");
    String table = html.substring(at, html.indexOf("</table>", at));
    List<String> modalities = new ArrayList<>();
    Matcher head =
        Pattern.compile("<th[^>]*>([^<]+)</th>")
            .matcher(table.substring(0, table.indexOf("</thead>")));
    while (head.find()) {
      modalities.add(head.group(1));
    }
    Map<String, String> out = new LinkedHashMap<>();
    Matcher row = Pattern.compile("<tr[^>]*><th>(UC|MI|LIME)</th>(.*?)</tr>").matcher(table);
    while (row.find()) {
      Matcher cell = Pattern.compile("<td[^>]*>([^<]+)</td>").matcher(row.group(2));
      for (int i = 0; cell.find(); i++) {
        out.put(row.group(1) + "/" + modalities.get(i), cell.group(1));
      }
    }
    return out;
  }
}
