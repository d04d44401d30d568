package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.Datapoint;
import io.dime.api.Explanation;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.run.JobResult;
import io.dime.api.run.ResultSink;
import io.dime.core.infer.JavaModels;
import io.dime.core.io.Json;
import io.dime.core.job.ExplanationsFile;
import io.dime.core.job.JobListener;
import io.dime.core.job.JobOutcome;
import io.dime.core.job.JobProgress;
import io.dime.core.job.SummaryFile;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import io.dime.testkit.JavaSources;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's Javadoc examples ({@code <pre>{@code ...}</pre>} in {@link Dime}, {@link
 * DimeBuilder} and {@link Presets}), read from the source files, compiled and run as a user copies
 * them: the example's free names ({@code model}, {@code pool}, {@code datapoint}, the modalities)
 * become parameters, and the explanation it makes is handed to the test after its last statement.
 * Each must leave no model thread behind (the engine is closed).
 */
class JavadocExamplesTest {
  static final String IMPORTS =
      "import io.dime.api.*;\n"
          + "import io.dime.api.run.*;\n"
          + "import io.dime.core.*;\n"
          + "import io.dime.core.estimate.Estimators;\n"
          + "import io.dime.core.job.*;\n"
          + "import io.dime.core.surrogate.Lime;\n"
          + "import io.dime.spi.Modality;\n"
          + "import java.nio.file.Path;\n"
          + "import java.util.*;\n";

  /** The {@code index}-th code example of a main source file of this module, without the stars. */
  static String example(String sourcePath, int index) throws Exception {
    String text = Files.readString(Path.of("src/main/java", sourcePath), StandardCharsets.UTF_8);
    int from = 0;
    for (int i = 0; i <= index; i++) {
      from = text.indexOf("<pre>{@code\n", from);
      assertTrue(from >= 0, sourcePath + " has a code example number " + index);
      from += "<pre>{@code\n".length();
    }
    int end = text.indexOf("}</pre>", from);
    StringBuilder code = new StringBuilder();
    for (String line : text.substring(from, end).split("\n")) {
      String l = line.strip();
      code.append(l.startsWith("* ") ? line.substring(line.indexOf("* ") + 2) : "").append('\n');
    }
    return code.toString().stripTrailing() + "\n";
  }

  /**
   * The example with {@code hook} run just before its last line (the closing brace of its block),
   * where its variables are still in scope.
   */
  static String beforeLastLine(String example, String hook) {
    String body = example.stripTrailing();
    int last = body.lastIndexOf('\n');
    assertEquals("}", body.substring(last + 1).strip(), "the example ends with a block:\n" + body);
    return body.substring(0, last + 1) + "  " + hook + "\n}\n";
  }

  /** Compiles {@code source} (class {@code name}) against the test's class path and loads it. */
  static Class<?> compile(Path dir, String name, String source) throws Exception {
    Path classes = JavaSources.compile(dir, name, source, "the Javadoc example");
    URLClassLoader loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, JavadocExamplesTest.class.getClassLoader());
    return loader.loadClass(name);
  }

  static Set<Thread> modelThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("dime-model") && t.isAlive())
        .collect(Collectors.toSet());
  }

  /** Fails when a model thread started since {@code before} is still alive after 10 s. */
  static void assertNoNewModelThread(Set<Thread> before, String what) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    Set<Thread> left;
    do {
      left = modelThreads();
      left.removeAll(before);
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        what + " leaves " + left.size() + " model thread(s) running: the engine is not closed");
  }

  /** d1 . d2 over two vector modalities of length 4, as logits of two classes. */
  static MultimodalModel dotModel() {
    return JavaModels.of(
        "d1 . d2",
        2,
        OutputKind.LOGITS,
        row -> {
          double[] a = (double[]) row[0];
          double[] b = (double[]) row[1];
          double y = 0;
          for (int j = 0; j < a.length; j++) {
            y += a[j] * b[j];
          }
          return new double[] {-y, y};
        });
  }

  static List<Datapoint> pool(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Datapoint> pool = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pool.add(
          Datapoint.of(
              "p" + i, Map.of("d1", rng.doubles(4).toArray(), "d2", rng.doubles(4).toArray())));
    }
    return pool;
  }

  /**
   * Runs an engine example with two vector modalities under the names {@code m1} and {@code m2} it
   * uses, and returns the explanation it made.
   */
  private static Explanation runEngineExample(
      Path dir, String source, String m1, String m2, String name) throws Exception {
    String example = beforeLastLine(example(source, 0), "seen.accept(e);");
    String code =
        IMPORTS
            + "public class "
            + name
            + " {\n"
            + "  public static void run(Modality<?> "
            + m1
            + ", Modality<?> "
            + m2
            + ", MultimodalModel model, List<Datapoint> pool, Datapoint datapoint,"
            + " java.util.function.Consumer<Explanation> seen) {\n"
            + example
            + "  }\n"
            + "}\n";
    Method run =
        compile(dir, name, code)
            .getMethod(
                "run",
                Modality.class,
                Modality.class,
                MultimodalModel.class,
                List.class,
                Datapoint.class,
                Consumer.class);
    List<Datapoint> pool = pool(8, 5);
    AtomicReference<Explanation> seen = new AtomicReference<>();
    Consumer<Explanation> sink = seen::set;
    Set<Thread> before = modelThreads();
    run.invoke(
        null,
        VectorModality.of("d1", 4),
        VectorModality.of("d2", 4),
        dotModel(),
        pool,
        pool.get(2),
        sink);
    assertNoNewModelThread(before, "the example of " + source);
    Explanation e = seen.get();
    assertEquals("p2", e.id());
    return e;
  }

  @Test
  void dimesExampleExplainsWithItsSettingsAndClosesTheEngine(@TempDir Path dir) throws Exception {
    Explanation e =
        runEngineExample(
            dir, "io/dime/core/Dime.java", "vectorModality1", "vectorModality2", "DimeExample");
    assertEquals(1000, e.provenance().samples());
    assertEquals(42, e.provenance().seed());
    assertEquals(256, e.provenance().batchSize());
    assertEquals("sampled", e.provenance().estimator().get("estimator"));
    assertEquals(10, ((Number) e.provenance().faithfulness().get("steps")).intValue());
    assertEquals(List.of("d1", "d2"), e.modalities());
  }

  @Test
  void dimeBuildersExampleExplainsWithItsSettingsAndClosesTheEngine(@TempDir Path dir)
      throws Exception {
    Explanation e =
        runEngineExample(
            dir, "io/dime/core/DimeBuilder.java", "image", "question", "DimeBuilderExample");
    assertEquals(1000, e.provenance().samples());
    assertEquals(42, e.provenance().seed());
    assertEquals("sampled", e.provenance().estimator().get("estimator"));
  }

  @Test
  void presetsExampleExplainsWithTheFastPresetAndClosesTheEngine(@TempDir Path dir)
      throws Exception {
    Explanation e =
        runEngineExample(dir, "io/dime/core/Presets.java", "image", "question", "PresetsExample");
    assertEquals(Presets.FAST, e.provenance().run().get(Presets.PROVENANCE_KEY));
    assertEquals("anchored", e.provenance().estimator().get("estimator"));
    assertEquals(Presets.FAST_SAMPLES_TWO, e.provenance().samples());
  }

  /** Six manifest lines of d1 and d2 (length 4), the fourth unreadable (d2 is text). */
  static Path manifest(Path dir) throws Exception {
    SplittableRandom rng = new SplittableRandom(3);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String d2 = i == 3 ? "\"four\"" : Json.line(rng.doubles(4).toArray());
      lines.add(
          "{\"id\": \"r"
              + i
              + "\", \"d1\": "
              + Json.line(rng.doubles(4).toArray())
              + ", \"d2\": "
              + d2
              + "}");
    }
    Path manifest = dir.resolve("data.jsonl");
    Files.write(manifest, lines, StandardCharsets.UTF_8);
    return manifest;
  }

  /**
   * ExplanationJob's example, its engine completed ({@code Dime.builder()...build()}) with the two
   * modalities, a model and a pool: every readable record explained, the unreadable one an error
   * while the others go on, explanations.jsonl and summary.json written, progress to the listener
   * for each record explained.
   */
  @Test
  void explanationJobsExampleRunsTheJob(@TempDir Path dir) throws Exception {
    String example = example("io/dime/core/job/ExplanationJob.java", 0);
    String fragment = "Dime.builder()...build()";
    assertTrue(example.contains(fragment), example);
    String code =
        IMPORTS
            + "public class JobExample {\n"
            + "  public static void run(Path dir, Path manifest, List<Modality<?>> modalities,"
            + " MultimodalModel model, List<Datapoint> pool, JobListener progress,"
            + " java.util.function.Consumer<JobOutcome> seen) throws Exception {\n"
            + beforeLastLine(
                example.replace(
                    fragment,
                    "Dime.builder().modality(modalities.get(0)).modality(modalities.get(1))"
                        + ".model(model).referencePool(pool).samples(200).build()"),
                "seen.accept(outcome);")
            + "  }\n"
            + "}\n";
    Method run =
        compile(dir, "JobExample", code)
            .getMethod(
                "run",
                Path.class,
                Path.class,
                List.class,
                MultimodalModel.class,
                List.class,
                JobListener.class,
                Consumer.class);
    Path out = Files.createDirectories(dir.resolve("out"));
    List<String> done = new ArrayList<>();
    JobListener progress =
        new JobListener() {
          @Override
          public void explained(JobProgress p) {
            done.add(p.done() + "/" + p.total());
          }
        };
    AtomicReference<JobOutcome> seen = new AtomicReference<>();
    Consumer<JobOutcome> sink = seen::set;
    List<Modality<?>> modalities = List.of(VectorModality.of("d1", 4), VectorModality.of("d2", 4));
    Set<Thread> before = modelThreads();
    run.invoke(null, out, manifest(dir), modalities, dotModel(), pool(8, 7), progress, sink);
    assertNoNewModelThread(before, "ExplanationJob's example");
    assertEquals(5, seen.get().explained());
    assertEquals(1, seen.get().failed());
    assertEquals(List.of("1/5", "2/5", "3/5", "4/5", "5/5"), done); // the records to explain
    assertEquals(6, Files.readAllLines(out.resolve(ExplanationsFile.NAME)).size());
    assertTrue(Files.isRegularFile(out.resolve(SummaryFile.NAME)));
  }

  /**
   * JsonlManifest's example, its job completed ({@code source(source)...}) with a sink and run: one
   * result per line in order, the unreadable line an error naming it, and the manifest closed.
   */
  @Test
  void jsonlManifestsExampleFeedsAJob(@TempDir Path dir) throws Exception {
    String example = example("io/dime/core/job/JsonlManifest.java", 0);
    String fragment = ".source(source)...";
    assertTrue(example.contains(fragment), example);
    String code =
        IMPORTS
            + "public class ManifestExample {\n"
            + "  public static void run(Dime dime, List<Modality<?>> modalities, ResultSink sink)"
            + " throws Exception {\n"
            + example.replace(fragment, ".source(source).sink(sink).build().run();")
            + "  }\n"
            + "}\n";
    Method run =
        compile(dir, "ManifestExample", code)
            .getMethod("run", Dime.class, List.class, ResultSink.class);
    Files.move(manifest(dir), Path.of("data.jsonl").toAbsolutePath());
    List<JobResult> results = new ArrayList<>();
    ResultSink sink = results::add;
    List<Modality<?>> modalities = List.of(VectorModality.of("d1", 4), VectorModality.of("d2", 4));
    try (Dime dime =
        Dime.builder()
            .modality(modalities.get(0))
            .modality(modalities.get(1))
            .model(dotModel())
            .referencePool(pool(8, 9))
            .samples(200)
            .build()) {
      run.invoke(null, dime, modalities, sink);
    } finally {
      Files.deleteIfExists(Path.of("data.jsonl"));
    }
    assertEquals(6, results.size());
    for (int i = 0; i < 6; i++) {
      assertEquals(i + 1, results.get(i).line());
      assertEquals(
          i != 3, results.get(i).result() instanceof Explanation, results.get(i).toString());
    }
    RecordError error = (RecordError) results.get(3).result();
    assertTrue(
        error.toString().contains("r3") || error.toString().contains("line 4"), error.toString());
  }
}
