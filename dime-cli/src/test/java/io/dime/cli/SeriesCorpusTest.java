package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malformed-input corpus for the series reader and the vector modality, through {@code dime
 * explain} with a real ONNX model (Flatten then Softmax over a [1, 8] series; written by {@link
 * TinyOnnx}): NaN, Inf, out-of-range, ragged, empty, string, too long and wrong-channel series,
 * inline and in CSV files (missing, empty, non-UTF-8, outside the data root, with bad cells), and
 * vectors of the wrong length or type. 300 seeded records, every 5th valid: each bad one gets an
 * error naming it and the cause, every valid one is explained, the exit code is 1 and the summary
 * counts them.
 */
class SeriesCorpusTest {
  private static final String PIPELINE =
      """
      modalities:
        - name: series
          plugin: timeseries
          settings: {channels: 1, length: 8, window: 2, input: series}
        - name: v
          plugin: vector
          settings: {length: 2, input: v}
      output: probs
      outputKind: probabilities
      """;

  /** One kind of record: its manifest line (from the id) and the words its error must hold. */
  private record Kind(String name, Function<String, String> line, String expect) {}

  private static String row(SplittableRandom r, int n) {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v.add(String.format(Locale.ROOT, "%.3f", r.nextDouble(-1, 1)));
    }
    return String.join(",", v);
  }

  private static String rec(String id, String series, String v) {
    return "{\"id\":\"" + id + "\",\"series\":" + series + ",\"v\":" + v + "}";
  }

  @Test
  void everyBadSeriesOrVectorIsNamedAndEveryValidRecordExplained(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("csv"));
    new TinyOnnx()
        .input("series", TinyOnnx.FLOAT, "batch", 1L, 8L)
        .input("v", TinyOnnx.FLOAT, "batch", 2L)
        .output("probs", TinyOnnx.FLOAT, "batch", 8L)
        .node("Flatten", "series", "flat")
        .node("Softmax", "flat", "probs")
        .write(dir.resolve("model.onnx"));
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE);
    SplittableRandom r = new SplittableRandom(17);
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      pool.add(rec("pool" + i, "[" + row(r, 8) + "]", "[" + row(r, 2) + "]"));
    }
    Files.write(data.resolve("pool.jsonl"), pool);
    Files.writeString(dir.resolve("outside.csv"), "x\n" + row(r, 8).replace(",", "\n") + "\n");
    String v = "[0.5,-0.5]";
    List<Kind> kinds =
        List.of(
            new Kind("nan-cell", id -> csv(data, id, "x\n1\n2\nnan\n4\n5\n6\n7\n8\n", v), "nan"),
            new Kind("inf-cell", id -> csv(data, id, "x\n1\n2\n3\ninf\n5\n6\n7\n8\n", v), "inf"),
            new Kind("overflow", id -> rec(id, "[1,2,3,1e400,5,6,7,8]", v), "finite"),
            new Kind("nan-string", id -> rec(id, "[1,2,\"NaN\",4,5,6,7,8]", v), "number"),
            new Kind("ragged-channels", id -> rec(id, "[[1,2,3,4,5,6,7,8],[1,2,3]]", v), "channel"),
            new Kind("ragged-csv", id -> csv(data, id, "a,b\n1,2\n3\n5,6\n", v), "row"),
            new Kind("empty-array", id -> rec(id, "[]", v), "empty"),
            new Kind("empty-csv", id -> csv(data, id, "", v), "empty"),
            new Kind("header-only-csv", id -> csv(data, id, "x\n", v), "no values"),
            new Kind(
                "strings",
                id -> rec(id, "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"]", v),
                "number"),
            new Kind("word-cell", id -> csv(data, id, "x\n1\n2\nabc\n4\n5\n6\n7\n8\n", v), "abc"),
            new Kind("too-long", id -> rec(id, "[" + row(r, 9) + "]", v), "length"),
            new Kind(
                "two-channels",
                id -> rec(id, "[[" + row(r, 8) + "],[" + row(r, 8) + "]]", v),
                "channels"),
            new Kind("missing-csv", id -> rec(id, "\"csv/none-" + id + ".csv\"", v), "cannot read"),
            new Kind(
                "non-utf8-csv",
                id -> csvBytes(data, id, new byte[] {'x', '\n', (byte) 0xC3, '(', '\n'}, v),
                "utf-8"),
            new Kind("outside-csv", id -> rec(id, "\"../outside.csv\"", v), "data root"),
            new Kind("series-object", id -> rec(id, "{\"a\":1}", v), "series"),
            new Kind("series-missing", id -> "{\"id\":\"" + id + "\",\"v\":" + v + "}", "series"),
            new Kind("vector-short", id -> rec(id, "[" + row(r, 8) + "]", "[1]"), "expected 2"),
            new Kind(
                "vector-strings", id -> rec(id, "[" + row(r, 8) + "]", "[\"a\",\"b\"]"), "number"));

    List<String> lines = new ArrayList<>();
    List<Kind> expected = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String id = String.format(Locale.ROOT, "s%03d", i);
      if (i % 5 == 0) {
        lines.add(
            i % 10 == 0
                ? rec(id, "[" + row(r, 8) + "]", "[" + row(r, 2) + "]")
                : csv(
                    data, id, "x\n" + row(r, 8).replace(",", "\n") + "\n", "[" + row(r, 2) + "]"));
        expected.add(null);
      } else {
        Kind k = kinds.get(r.nextInt(kinds.size()));
        lines.add(k.line().apply(id));
        expected.add(k);
      }
    }
    Files.write(data.resolve("data.jsonl"), lines, StandardCharsets.UTF_8);

    String[] res =
        InspectModelCommandTest.run(
            "explain",
            "--model",
            "onnx:" + dir.resolve("model.onnx"),
            "--pipeline",
            dir.resolve("pipeline.yaml").toString(),
            "--data",
            data.resolve("data.jsonl").toString(),
            "--pool",
            data.resolve("pool.jsonl").toString(),
            "--out",
            dir.resolve("out").toString(),
            "--samples",
            "40",
            "--references",
            "4",
            "--threads",
            "2",
            "--quiet");
    assertEquals("1", res[0], res[2]);
    List<String> out = Files.readAllLines(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS));
    assertEquals(300, out.size());
    int bad = 0;
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      JsonNode n = Json.mapper().readTree(out.get(i));
      String id = String.format(Locale.ROOT, "s%03d", i);
      Kind k = expected.get(i);
      assertEquals(id, n.path("id").asText(), out.get(i));
      if (k == null) {
        assertFalse(n.has("error"), out.get(i));
        continue;
      }
      bad++;
      String where = k.name() + ": " + out.get(i);
      String msg = n.at("/error/message").asText();
      if (!n.has("error")
          || !msg.contains("'" + id + "'")
          || !msg.toLowerCase(Locale.ROOT).contains(k.expect().toLowerCase(Locale.ROOT))
          || msg.contains(dir.toString())) {
        wrong.add(where);
      }
    }
    assertEquals(List.of(), wrong, "records without an error naming them and the cause");
    JsonNode counts =
        Json.mapper()
            .readTree(dir.resolve("out").resolve(ExplainCommand.SUMMARY).toFile())
            .path("counts");
    assertEquals(bad, counts.path("failed").asInt());
    assertEquals(300 - bad, counts.path("explained").asInt());
    System.out.printf(
        "series corpus: 300 records, %d bad reported, %d explained%n", bad, 300 - bad);
  }

  private static String csv(Path data, String id, String text, String v) {
    return csvBytes(data, id, text.getBytes(StandardCharsets.UTF_8), v);
  }

  private static String csvBytes(Path data, String id, byte[] bytes, String v) {
    try {
      Files.write(data.resolve("csv").resolve(id + ".csv"), bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rec(id, "\"csv/" + id + ".csv\"", v);
  }
}
