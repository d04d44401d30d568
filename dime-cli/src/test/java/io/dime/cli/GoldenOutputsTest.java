package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dime.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numbers the program writes do not change by accident: the demo's {@code explanations.jsonl}
 * and {@code summary.json}, and {@code reproduce synthetic} at k = 2 and k = 3 on 20 points, equal
 * the committed golden files in every field but timings. The demo's files, unmasked, are also valid
 * by the committed schemas ({@link OutputSchemas}).
 *
 * <p>What differs between machines and folders is masked on both sides before comparing: wall times
 * ({@code timings}, {@code secondsPerPoint}), the run's own folder inside strings (written as
 * {@code <out>}), the model file's location, ONNX Runtime's thread count (the cores of the
 * machine), the Java version, and the versions of DIME, its plugins and Guice (from jar manifests:
 * absent when Maven runs a module's classes folder). Every other value, every double included, must
 * be identical.
 *
 * <p>A golden file is regenerated ({@code -Ddime.golden.update=true}, which rewrites the files
 * under {@code src/test/resources/golden}) only in a commit that says which fields changed and why.
 */
class GoldenOutputsTest {
  static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final boolean UPDATE = Boolean.getBoolean("dime.golden.update");

  /** JSON pointers whose values depend on the machine or the folder, not on the computation. */
  private static final List<String> MASKED =
      List.of(
          "/timings",
          "/secondsPerPoint",
          "/provenance/model/location",
          "/provenance/model/threads",
          "/provenance/libraries/java",
          // "dev" from a module's classes, the project's version from its jar: how Maven ran
          "/provenance/dimeVersion",
          "/provenance/plugins",
          "/provenance/libraries/guice");

  @Test
  void demoExplanationsAndSummaryAreUnchanged(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("demo");
    assertEquals(0, Main.run("demo", "--out", out.toString(), "--quiet"));
    Path report = out.resolve("report");
    OutputSchemas.assertExplanationsValid(report.resolve(ExplainCommand.EXPLANATIONS));
    OutputSchemas.assertSummaryValid(report.resolve(ExplainCommand.SUMMARY));
    compareLines(
        report.resolve(ExplainCommand.EXPLANATIONS),
        GOLDEN.resolve("demo-explanations.jsonl"),
        out);
    compareDocument(
        report.resolve(ExplainCommand.SUMMARY), GOLDEN.resolve("demo-summary.json"), out);

    // dime report draws the same page again from the run's files, with no model file present.
    Path first = dir.resolve("first-report.html");
    Files.move(report.resolve(ExplainCommand.REPORT), first);
    Files.delete(out.resolve("fashion").resolve("fashion_vqa.onnx"));
    assertEquals(0, Main.run("report", report.toString()));
    assertEquals(
        -1L,
        Files.mismatch(first, report.resolve(ExplainCommand.REPORT)),
        "the report drawn again by dime report differs from the run's");
  }

  @Test
  void syntheticTwoModalitiesIsUnchanged(@TempDir Path dir) throws IOException {
    synthetic(dir, 2, "synthetic-k2.json");
  }

  @Test
  void syntheticThreeModalitiesIsUnchanged(@TempDir Path dir) throws IOException {
    synthetic(dir, 3, "synthetic-k3.json");
  }

  private static void synthetic(Path dir, int k, String golden) throws IOException {
    Path json = dir.resolve(golden);
    int rc =
        Main.run(
            "reproduce",
            "synthetic",
            "--modalities",
            Integer.toString(k),
            "--points",
            "20",
            "--threads",
            "2",
            "--json",
            json.toString(),
            "--quiet");
    assertEquals(0, rc);
    compareDocument(json, GOLDEN.resolve(golden), dir);
  }

  private static void compareLines(Path actual, Path golden, Path root) throws IOException {
    List<String> got = new ArrayList<>();
    for (String line : Files.readAllLines(actual, StandardCharsets.UTF_8)) {
      got.add(Json.line(normalise(Json.mapper().readTree(line), root)));
    }
    if (UPDATE) {
      Files.write(golden, got, StandardCharsets.UTF_8);
      return;
    }
    List<String> want = Files.readAllLines(golden, StandardCharsets.UTF_8);
    assertEquals(want.size(), got.size(), "lines in " + actual);
    for (int i = 0; i < want.size(); i++) {
      same(Json.mapper().readTree(want.get(i)), Json.mapper().readTree(got.get(i)), actual, i + 1);
    }
  }

  private static void compareDocument(Path actual, Path golden, Path root) throws IOException {
    JsonNode got = normalise(Json.mapper().readTree(actual.toFile()), root);
    if (UPDATE) {
      Files.writeString(golden, Json.pretty(got) + "\n", StandardCharsets.UTF_8);
      return;
    }
    same(Json.mapper().readTree(golden.toFile()), got, actual, 0);
  }

  private static void same(JsonNode want, JsonNode got, Path file, int line) {
    List<String> diffs = new ArrayList<>();
    diff("", want, got, diffs);
    if (!diffs.isEmpty()) {
      fail(
          file
              + (line > 0 ? " line " + line : "")
              + " differs from the golden file in "
              + diffs.size()
              + " place(s), first: "
              + diffs.subList(0, Math.min(5, diffs.size())));
    }
  }

  /** Every path where the two trees differ (values compared exactly). */
  static void diff(String at, JsonNode want, JsonNode got, List<String> out) {
    if (want.isObject() && got.isObject()) {
      Iterator<String> names = want.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (!got.has(n)) {
          out.add(at + "/" + n + " missing");
        } else {
          diff(at + "/" + n, want.get(n), got.get(n), out);
        }
      }
      got.fieldNames()
          .forEachRemaining(
              n -> {
                if (!want.has(n)) {
                  out.add(at + "/" + n + " added");
                }
              });
    } else if (want.isArray() && got.isArray() && want.size() == got.size()) {
      for (int i = 0; i < want.size(); i++) {
        diff(at + "/" + i, want.get(i), got.get(i), out);
      }
    } else if (!want.equals(got)) {
      out.add(at + ": " + abbreviate(want) + " -> " + abbreviate(got));
    }
  }

  private static String abbreviate(JsonNode n) {
    String s = n.toString();
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /** The document with the masked values replaced and the run's folder written as {@code <out>}. */
  static JsonNode normalise(JsonNode doc, Path root) {
    JsonNode n = replaceRoot(doc.deepCopy(), root.toAbsolutePath().toString());
    for (String pointer : MASKED) {
      int cut = pointer.lastIndexOf('/');
      JsonNode parent = n.at(pointer.substring(0, cut));
      String field = pointer.substring(cut + 1);
      if (parent instanceof ObjectNode o && o.has(field)) {
        o.put(field, "<masked>");
      }
    }
    return n;
  }

  private static JsonNode replaceRoot(JsonNode n, String root) {
    if (n.isTextual() && n.asText().contains(root)) {
      return TextNode.valueOf(n.asText().replace(root, "<out>"));
    }
    if (n instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      it.forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> e : fields) {
        o.set(e.getKey(), replaceRoot(e.getValue(), root));
      }
    } else if (n instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, replaceRoot(a.get(i), root));
      }
    }
    return n;
  }
}
