package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every explanation is an average over the reference pool, so a resume must not keep explanations
 * made against a pool whose values changed since: without {@code --pool} the data file is the pool,
 * and an edited record changed every kept explanation's pool, not only its own; with {@code
 * --pool}, a pool record's file (a series CSV) edited in place left the pool manifest's text, and
 * so its digest, as it was. Both were resumed silently, the kept lines made against the old pool
 * beside lines made against the new one (exit 0; the file differed from a fresh run's in every kept
 * line). Now the run's provenance digests the pool's inputs ({@code poolInputsSha256}), and such a
 * resume is refused before any work, naming it, with the file left as it was.
 */
class ResumeChangedPoolTest {
  /** A model that answers its series b as its two logits, and reads vector a too. */
  static Path model(Path dir) throws Exception {
    Files.createDirectories(dir);
    return new TinyOnnx()
        .input("a", TinyOnnx.FLOAT, "batch", 3L)
        .input("b", TinyOnnx.FLOAT, "batch", 2L)
        .output("y", TinyOnnx.FLOAT, "batch", 2L)
        .node("Identity", "b", "y")
        .write(dir.resolve("model.onnx"));
  }

  /** The pipeline of {@link #model}: vector a of 3, series b of 2 steps hidden by a baseline. */
  static void seriesPipeline(Path dir) throws Exception {
    Files.writeString(
        dir.resolve("pipeline.yaml"),
        """
        modalities:
          - name: a
            plugin: vector
            settings: {length: 3, input: a}
          - name: b
            plugin: timeseries
            settings: {length: 2, input: b, layout: nt, perturber: baseline}
        output: y
        outputKind: logits
        classNames: [no, yes]
        """);
  }

  private static String[] withoutPool(String[] args) {
    List<String> a = new ArrayList<>(List.of(args));
    int i = a.indexOf("--pool");
    a.remove(i + 1);
    a.remove(i);
    return a.toArray(String[]::new);
  }

  @Test
  void anEditedRecordOfADataFileThatIsThePoolRefusesTheResume(@TempDir Path dir) throws Exception {
    Path model = model(dir);
    Files.writeString(dir.resolve("pipeline.yaml"), CliFixtures.twoVectors(3, 2, "[no, yes]"));
    Files.writeString(
        dir.resolve("data.jsonl"),
        """
        {"id": "r0", "a": [1, 2, 3], "b": [0.5, -1]}
        {"id": "r1", "a": [0, 1, 0], "b": [2, 1]}
        {"id": "r2", "a": [1, 0, 1], "b": [-1, 3]}
        """);
    String[] args =
        withoutPool(
            CliFixtures.explain(model, dir, "data.jsonl", "out", "--samples", "30", "--quiet"));
    Map.Entry<Integer, String> first = CliFixtures.run(args);
    assertEquals(0, first.getKey(), first.getValue());
    Path lines = dir.resolve("out/explanations.jsonl");
    byte[] before = Files.readAllBytes(lines);

    // r1's values change under the same id: it is in the pool of every record
    Files.writeString(
        dir.resolve("data.jsonl"),
        Files.readString(dir.resolve("data.jsonl")).replace("[2, 1]", "[9, -7]"));
    Map.Entry<Integer, String> again = CliFixtures.run(args);
    assertEquals(2, again.getKey(), again.getValue());
    assertTrue(again.getValue().contains("'poolInputsSha256' differs"), again.getValue());
    assertTrue(
        again.getValue().contains("the reference pool's records, or the files they name, changed"),
        again.getValue());
    assertTrue(again.getValue().contains("use another --out"), again.getValue());
    assertArrayEquals(before, Files.readAllBytes(lines), "the kept file is left as it was");
  }

  @Test
  void aPoolRecordsFileEditedInPlaceRefusesTheResume(@TempDir Path dir) throws Exception {
    Path model = model(dir);
    seriesPipeline(dir);
    Files.writeString(
        dir.resolve("data.jsonl"),
        """
        {"id": "r0", "a": [1, 2, 3], "b": [0.5, -1]}
        {"id": "r1", "a": [0, 1, 0], "b": [2, 1]}
        """);
    Files.writeString(dir.resolve("p0.csv"), "x\n1\n2\n");
    Files.writeString(
        dir.resolve("pool.jsonl"),
        """
        {"id": "p0", "a": [1, 1, 1], "b": "p0.csv"}
        {"id": "p1", "a": [0, 0, 1], "b": [-2, 4]}
        """);
    String[] args =
        CliFixtures.explain(model, dir, "data.jsonl", "out", "--samples", "30", "--quiet");
    Map.Entry<Integer, String> first = CliFixtures.run(args);
    assertEquals(0, first.getKey(), first.getValue());
    Path lines = dir.resolve("out/explanations.jsonl");
    byte[] before = Files.readAllBytes(lines);

    Files.writeString(dir.resolve("p0.csv"), "x\n5\n-3\n"); // same name, same manifest text
    Map.Entry<Integer, String> again = CliFixtures.run(args);
    assertEquals(2, again.getKey(), again.getValue());
    assertTrue(again.getValue().contains("'poolInputsSha256' differs"), again.getValue());
    assertTrue(
        again.getValue().contains("the reference pool's records, or the files they name, changed"),
        again.getValue());
    assertArrayEquals(before, Files.readAllBytes(lines), "the kept file is left as it was");

    // the same pool as the first run's resumes, keeping every line
    Files.writeString(dir.resolve("p0.csv"), "x\n1\n2\n");
    Map.Entry<Integer, String> back = CliFixtures.run(args);
    assertEquals(0, back.getKey(), back.getValue());
  }
}
