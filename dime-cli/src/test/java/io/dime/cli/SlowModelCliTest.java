package io.dime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record's time limit against a real ONNX model whose calls run longer than the limit in native
 * code ({@code slow_chain.onnx}, 600 rounds of tanh(x @ W); one call of this job's size takes
 * seconds): each record fails at its limit with an error naming it, the call is ended there (the
 * record's message says so), and the next record does not wait for it. With one explaining thread
 * on a machine of two or more processors the calls run on a model thread; with as many threads as
 * processors, on the explaining threads.
 */
class SlowModelCliTest {
  /** Built by model-adapters/onnx/src/test/python/make_slow_model.py. */
  private static final Path MODEL = CliFixtures.onnxTestModel("slow_chain.onnx");

  private static final String PIPELINE = CliFixtures.twoVectors(32, 32, "[\"left\", \"right\"]");

  private static final int RECORDS = 3;

  private static String line(String id, SplittableRandom rng) {
    StringBuilder sb = new StringBuilder("{\"id\":\"" + id + "\"");
    for (String m : List.of("a", "b")) {
      sb.append(",\"").append(m).append("\":[");
      for (int i = 0; i < 32; i++) {
        sb.append(i == 0 ? "" : ",")
            .append(String.format(Locale.ROOT, "%.4f", rng.nextDouble(-1, 1)));
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  @ParameterizedTest(name = "threads: {0} (0: as many as processors)")
  @ValueSource(ints = {1, 0})
  @Timeout(300)
  void eachRecordFailsAtItsLimitAndTheCallEndsThere(int threads, @TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE);
    SplittableRandom rng = new SplittableRandom(11);
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      pool.add(line("pool" + i, rng));
    }
    Files.write(dir.resolve("pool.jsonl"), pool);
    List<String> data = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      data.add(line("r" + i, rng));
    }
    Files.write(dir.resolve("data.jsonl"), data);
    int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    String[] args =
        CliFixtures.explain(
            MODEL,
            dir,
            "data.jsonl",
            "out",
            // a model call of about 100,000 rows per modality: about 5 s of native work here
            "--samples",
            "2000",
            "--references",
            "50",
            "--batch-size",
            "1000000",
            "--threads",
            "" + t,
            "--max-seconds-per-point",
            "1",
            "--quiet");
    Map.Entry<Integer, String> r = CliFixtures.run(args);
    assertEquals(1, r.getKey(), r.getValue());
    List<String> lines =
        Files.readAllLines(dir.resolve("out").resolve(ExplainCommand.EXPLANATIONS));
    assertEquals(RECORDS, lines.size());
    for (String l : lines) {
      JsonNode n = Json.mapper().readTree(l);
      // the model answered the record's first calls (its prediction): a healthy slow model, so
      // the record's limit, named with the record, and not a model failure that stops the job. A
      // call on the model thread left running would hold that thread for the seconds it takes, and
      // the next record's prediction, queued behind it, would get no answer within its limit:
      // stage "model", "the model gave no answer"
      assertEquals("limit", n.path("error").path("stage").asText(), n.toString());
      // a call on the explaining thread is waited for: "ended" when ONNX Runtime stopped it at the
      // limit ("ran on to its end" had it computed the batch in full); one on the model thread is
      // "interrupted" (asked to end, not waited for), or, when the deadline passed before the
      // record came to wait for it, asked to end all the same with the record's plain limit
      String limit =
          "record '"
              + n.path("id").asText()
              + "': the explanation took longer than 1.0 s (limit maxSecondsPerPoint)";
      String during = limit + "; the model was computing a batch then, and the call was ";
      List<String> said =
          List.of(
              during + "ended",
              during + "interrupted",
              limit + ": --max-seconds-per-point raises it (0: none)");
      assertTrue(said.contains(n.path("error").path("message").asText()), n.toString());
    }
  }
}
