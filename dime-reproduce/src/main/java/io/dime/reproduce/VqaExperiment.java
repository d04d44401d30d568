package io.dime.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.ClassExplanation;
import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.api.SurrogateFit;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.Targets;
import io.dime.core.Versions;
import io.dime.core.infer.EncodedModel;
import io.dime.core.io.Json;
import io.dime.core.job.ExplanationJob;
import io.dime.core.job.JsonlManifest;
import io.dime.core.pipeline.EngineSettings;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.pipeline.Pipelines;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.Modality;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The two checks of the image+question demo (issue 5): the pointing game and the question swap (the
 * paper's Table 3), on a manifest whose scenes each carry two single-position questions about
 * different quadrants.
 *
 * <p>Pointing: for a question about one quadrant, the image feature (superpixel) with the largest
 * positive MI weight toward the predicted answer must have its centroid in that quadrant. The rate
 * is reported with its 95% Wilson interval, next to the same rate for plain LIME's image weights.
 *
 * <p>Swap: for each scene with questions a and b, explain the answer to a (its label) three times:
 * with question a (seed s), with question a again (seed s + 1: the noise floor) and with question b
 * in place of a (seed s). The cosine distances between the image's UC weights, and between its MI
 * weights, before and after the swap are compared with the noise floor. UC of the image is the
 * expectation over reference questions, so it should move no more than the noise; MI should move.
 */
public final class VqaExperiment {
  /** What to run. */
  public record Config(
      Path pipeline,
      Path questions,
      Path pool,
      String model,
      int scenes,
      EngineSettings engine,
      int batchSize,
      boolean swap) {}

  private VqaExperiment() {}

  /** One scene's two questions. */
  private record Scene(String id, Datapoint a, Datapoint b, JsonNode metaA, JsonNode metaB) {}

  public static Map<String, Object> run(Config c, IntConsumer progress, int[] total)
      throws IOException {
    PluginRegistry registry = PluginRegistry.load(List.of());
    PipelineFile pipe = PipelineFile.read(c.pipeline());
    List<Modality<?>> modalities = Pipelines.modalities(registry, pipe, c.pipeline());
    String image = imageModality(c.pipeline(), modalities);
    List<String> skipped = new ArrayList<>();
    List<Scene> scenes = scenes(c.questions(), modalities, c.scenes(), skipped);
    List<Datapoint> pool = new ArrayList<>();
    for (SourceRecord r : JsonlManifest.readAll(c.pool(), modalities)) {
      r.datapoint().ifPresent(pool::add);
    }
    long started = System.nanoTime();
    int runs = c.swap() ? 3 : 2;
    total[0] = runs * scenes.size();
    try (EncodedModel model = Pipelines.model(registry, c.model(), pipe, modalities);
        Dime first = engine(c, model, pool, modalities, c.engine().seed());
        Dime second = engine(c, model, pool, modalities, c.engine().seed() + 1)) {
      int threads = c.engine().threads();
      int[] done = {0};
      IntConsumer tick =
          n -> {
            done[0]++;
            progress.accept(done[0]);
          };
      List<Datapoint> as = new ArrayList<>();
      List<Datapoint> bs = new ArrayList<>();
      for (Scene s : scenes) {
        as.add(s.a());
        Datapoint b = s.b();
        // For the swap, question b is asked with a's answer as the class to explain.
        bs.add(c.swap() ? new Datapoint(b.id(), b.values(), s.a().label()) : b);
      }
      Targets both = Targets.parse("predicted,label");
      List<ExplainResult> ra = explainAll(first, as, both, threads, tick);
      List<ExplainResult> rb =
          explainAll(first, bs, c.swap() ? both : Targets.predicted(), threads, tick);
      List<ExplainResult> ra2 =
          c.swap() ? explainAll(second, as, Targets.label(), threads, tick) : List.of();
      double seconds = (System.nanoTime() - started) / 1e9;

      Map<String, Object> out = new LinkedHashMap<>();
      out.put("schemaVersion", Explanation.SCHEMA_VERSION);
      out.put("experiment", c.swap() ? "swap" : "pointing");
      out.put("scenes", scenes.size());
      out.put("explanations", runs * scenes.size());
      out.put("settings", settings(c, pool.size()));
      Pointing pointing = new Pointing();
      List<Map<String, Object>> details = new ArrayList<>();
      List<String> failures = new ArrayList<>(skipped);
      for (int i = 0; i < scenes.size(); i++) {
        Scene s = scenes.get(i);
        Explanation ea = ok(ra.get(i), failures);
        Explanation eb = ok(rb.get(i), failures);
        if (ea != null) {
          details.add(pointing.add(first, image, s.a(), ea, s.metaA()));
        }
        if (eb != null) {
          details.add(pointing.add(first, image, bs.get(i), eb, s.metaB()));
        }
      }
      out.put("pointing", pointing.summary());
      if (c.swap()) {
        out.put("swap", swap(scenes, ra, rb, ra2, image, failures));
      }
      out.put("failures", failures);
      Map<String, Object> timings = new LinkedHashMap<>();
      timings.put("seconds", seconds);
      timings.put("secondsPerExplanation", seconds / Math.max(1, runs * scenes.size()));
      timings.put("threads", threads);
      out.put("timings", timings);
      out.put("provenance", first.provenance());
      out.put("questions", details);
      return out;
    }
  }

  /** The name of the pipeline's image modality; the pipeline must have it and one other. */
  private static String imageModality(Path pipeline, List<Modality<?>> modalities) {
    String image = null;
    for (Modality<?> m : modalities) {
      if (m.kind().equals("image")) {
        image = m.name();
      }
    }
    if (image == null || modalities.size() != 2) {
      throw new IllegalArgumentException(
          "pipeline " + pipeline + " must have an image modality and one other modality");
    }
    return image;
  }

  /** The settings as the results file records them. */
  private static Map<String, Object> settings(Config c, int poolSize) throws IOException {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("pipeline", c.pipeline().getFileName().toString());
    settings.put("questions", c.questions().getFileName().toString());
    settings.put("questionsSha256", Versions.sha256(c.questions()));
    settings.put("pool", c.pool().getFileName().toString());
    settings.put("poolSize", poolSize);
    settings.put("estimator", c.engine().estimator());
    settings.put("references", c.engine().references());
    settings.put("samples", c.engine().samplesFor(2)); // image and question
    settings.put("surrogate", c.engine().surrogate());
    settings.put("seed", c.engine().seed());
    return settings;
  }

  private static Dime engine(
      Config c, EncodedModel model, List<Datapoint> pool, List<Modality<?>> mods, long seed) {
    DimeBuilder b =
        c.engine()
            .configure(Dime.builder(), PluginRegistry.load(List.of()))
            .model(model)
            .referencePool(pool)
            .estimator(c.engine().estimatorInstance())
            .seed(seed)
            .batchSize(c.batchSize());
    mods.forEach(b::modality);
    return b.build();
  }

  private static List<ExplainResult> explainAll(
      Dime dime, List<Datapoint> points, Targets targets, int threads, IntConsumer tick) {
    List<ExplainResult> out = new ArrayList<>();
    ExplanationJob.explainAll(
        dime,
        points,
        targets,
        threads,
        r -> {
          out.add(r);
          tick.accept(out.size());
        });
    return out;
  }

  private static Explanation ok(ExplainResult r, List<String> failures) {
    if (r instanceof RecordError e) {
      failures.add(e.id().orElse("") + " (" + e.stage() + "): " + e.message());
      return null;
    }
    return (Explanation) r;
  }

  /** The first {@code limit} scenes of the manifest that have two readable questions. */
  private static List<Scene> scenes(
      Path file, List<Modality<?>> modalities, int limit, List<String> skipped) throws IOException {
    List<SourceRecord> entries = JsonlManifest.readAll(file, modalities);
    Map<String, JsonNode> meta = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        try {
          JsonNode n = Json.mapper().readTree(line);
          meta.put(n.path("id").asText(), n);
        } catch (IOException e) {
          // the manifest reader reports this line
        }
      }
    }
    Map<String, List<Datapoint>> byScene = new LinkedHashMap<>();
    for (SourceRecord r : entries) {
      if (!r.readable()) {
        RecordError err = r.error().get();
        skipped.add(file + ", line " + r.line() + " (" + err.stage() + "): " + err.message());
        continue;
      }
      Datapoint e = r.datapoint().get();
      JsonNode m = meta.get(e.id());
      String scene = m.path("scene").asText(null);
      String quadrant = m.path("quadrant").asText(null);
      if (scene == null || quadrant == null || quadrant(quadrant) == null) {
        skipped.add(
            file + ", record '" + e.id() + "': needs 'scene' and 'quadrant' (e.g. \"top left\")");
        continue;
      }
      if (e.label().isEmpty()) {
        skipped.add(file + ", record '" + e.id() + "': needs a label");
        continue;
      }
      byScene.computeIfAbsent(scene, k -> new ArrayList<>()).add(e);
    }
    List<Scene> out = new ArrayList<>();
    for (Map.Entry<String, List<Datapoint>> s : byScene.entrySet()) {
      if (out.size() == limit) {
        break;
      }
      if (s.getValue().size() >= 2) {
        Datapoint a = s.getValue().get(0);
        Datapoint b = s.getValue().get(1);
        out.add(new Scene(s.getKey(), a, b, meta.get(a.id()), meta.get(b.id())));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(file + " has no scene with two readable questions");
    }
    if (out.size() < limit) {
      skipped.add(
          file + " has " + out.size() + " scenes with two readable questions; asked for " + limit);
    }
    return out;
  }

  /** {column, row} halves of a quadrant name: 0 = left/top, 1 = right/bottom; null if unknown. */
  static int[] quadrant(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "top left" -> new int[] {0, 0};
      case "top right" -> new int[] {1, 0};
      case "bottom left" -> new int[] {0, 1};
      case "bottom right" -> new int[] {1, 1};
      default -> null;
    };
  }

  /** The feature with the largest positive weight, or -1 when no weight is positive. */
  static int topPositive(double[] w) {
    int best = -1;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > 0 && (best < 0 || w[i] > w[best])) {
        best = i;
      }
    }
    return best;
  }

  /** 1 - cosine similarity; 1 when either vector is zero. */
  static double cosineDistance(double[] a, double[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return aa == 0 || bb == 0 ? 1 : 1 - ab / Math.sqrt(aa * bb);
  }

  /** The lower end of the 95% Wilson score interval for {@code hits} out of {@code n}. */
  public static double wilsonLower(int hits, int n) {
    if (n == 0) {
      return 0;
    }
    double z = 1.959963984540054;
    double p = (double) hits / n;
    double z2 = z * z;
    double centre = p + z2 / (2.0 * n);
    double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return (centre - half) / (1 + z2 / n);
  }

  private static double[] weights(Explanation e, int classIndex, String modality, String key) {
    ClassExplanation c = e.forClass(classIndex);
    Optional<SurrogateFit> f = c.modality(modality).fit(key);
    return f.orElseThrow(() -> new IllegalStateException("no " + key + " fit")).weights();
  }

  private static int labelIndex(Explanation e) {
    for (ClassExplanation c : e.classes()) {
      if (c.reasons().contains("label")) {
        return c.classIndex();
      }
    }
    throw new IllegalStateException("record '" + e.id() + "': the label was not explained");
  }

  /** Pointing-game counts. */
  private static final class Pointing {
    final Map<String, int[]> byType = new LinkedHashMap<>(); // type -> {n, dime hits, lime hits}
    int n;
    int hits;
    int limeHits;
    int massHits;
    int correct;

    Map<String, Object> add(Dime dime, String image, Datapoint dp, Explanation e, JsonNode meta) {
      int predicted = e.predicted();
      Map<String, Object> layout = dime.features(dp, image).layout();
      double[] cx = (double[]) layout.get("centroidX");
      double[] cy = (double[]) layout.get("centroidY");
      int width = ((Number) layout.get("width")).intValue();
      int height = ((Number) layout.get("height")).intValue();
      int[] q = quadrant(meta.path("quadrant").asText());
      double[] miWeights = weights(e, predicted, image, "MI");
      int mi = topPositive(miWeights);
      int lime = topPositive(weights(e, predicted, image, "LIME"));
      boolean miHit = mi >= 0 && inQuadrant(cx[mi], cy[mi], width, height, q);
      boolean limeHit = lime >= 0 && inQuadrant(cx[lime], cy[lime], width, height, q);
      String type = meta.path("type").asText("unknown");
      int[] t = byType.computeIfAbsent(type, k -> new int[3]);
      n++;
      t[0]++;
      if (miHit) {
        hits++;
        t[1]++;
      }
      if (limeHit) {
        limeHits++;
        t[2]++;
      }
      String predictedName = e.forClass(predicted).className();
      if (dp.label().isPresent() && dp.label().get().equals(predictedName)) {
        correct++;
      }
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("id", e.id());
      d.put("quadrant", meta.path("quadrant").asText());
      d.put("type", type);
      d.put("predicted", predictedName);
      d.put("label", dp.label().orElse(null));
      d.put("miFeature", mi);
      d.put("miHit", miHit);
      d.put("limeFeature", lime);
      d.put("limeHit", limeHit);
      // Diagnostics beside the rule: where the top features sit, and the MI mass per quadrant.
      d.put("miTopQuadrant", mi < 0 ? null : quadrantName(cx[mi], cy[mi], width, height));
      d.put("limeTopQuadrant", lime < 0 ? null : quadrantName(cx[lime], cy[lime], width, height));
      int uc = topPositive(weights(e, predicted, image, "UC"));
      d.put("ucTopQuadrant", uc < 0 ? null : quadrantName(cx[uc], cy[uc], width, height));
      double[] mass = new double[4];
      for (int f = 0; f < miWeights.length; f++) {
        if (miWeights[f] > 0) {
          mass[quadrantIndex(cx[f], cy[f], width, height)] += miWeights[f];
        }
      }
      Map<String, Object> massByQuadrant = new LinkedHashMap<>();
      int heaviest = 0;
      for (int k = 0; k < 4; k++) {
        massByQuadrant.put(QUADRANTS.get(k), mass[k]);
        if (mass[k] > mass[heaviest]) {
          heaviest = k;
        }
      }
      d.put("miPositiveMass", massByQuadrant);
      boolean massHit =
          mass[heaviest] > 0 && QUADRANTS.get(heaviest).equals(meta.path("quadrant").asText());
      d.put("miMassHit", massHit);
      if (massHit) {
        massHits++;
      }
      return d;
    }

    Map<String, Object> summary() {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("questions", n);
      s.put("modelAccuracy", n == 0 ? 0 : (double) correct / n);
      s.put("dime", rate(hits, n));
      s.put("lime", rate(limeHits, n));
      s.put("miQuadrantMassDiagnostic", rate(massHits, n));
      Map<String, Object> types = new LinkedHashMap<>();
      byType.forEach(
          (k, t) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("questions", t[0]);
            r.put("dime", rate(t[1], t[0]));
            r.put("lime", rate(t[2], t[0]));
            types.put(k, r);
          });
      s.put("byType", types);
      s.put(
          "rule",
          "hit: centroid of the image feature with the largest positive MI (or LIME)"
              + " weight toward the predicted answer lies in the asked quadrant");
      return s;
    }
  }

  static final List<String> QUADRANTS =
      List.of("top left", "top right", "bottom left", "bottom right");

  /** 0 top left, 1 top right, 2 bottom left, 3 bottom right. */
  static int quadrantIndex(double x, double y, int width, int height) {
    return (y < height / 2.0 ? 0 : 2) + (x < width / 2.0 ? 0 : 1);
  }

  static String quadrantName(double x, double y, int width, int height) {
    return QUADRANTS.get(quadrantIndex(x, y, width, height));
  }

  static boolean inQuadrant(double x, double y, int width, int height, int[] q) {
    int col = x < width / 2.0 ? 0 : 1;
    int row = y < height / 2.0 ? 0 : 1;
    return col == q[0] && row == q[1];
  }

  static Map<String, Object> rate(int hits, int n) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("hits", hits);
    r.put("rate", n == 0 ? 0 : (double) hits / n);
    r.put("wilsonLower95", wilsonLower(hits, n));
    return r;
  }

  private static Map<String, Object> swap(
      List<Scene> scenes,
      List<ExplainResult> ra,
      List<ExplainResult> rb,
      List<ExplainResult> ra2,
      String image,
      List<String> failures) {
    List<Double> ucSwap = new ArrayList<>();
    List<Double> ucNoise = new ArrayList<>();
    List<Double> miSwap = new ArrayList<>();
    List<Double> miNoise = new ArrayList<>();
    for (int i = 0; i < scenes.size(); i++) {
      if (!(ra.get(i) instanceof Explanation a)
          || !(rb.get(i) instanceof Explanation b)
          || !(ra2.get(i) instanceof Explanation a2)) {
        continue;
      }
      int cls = labelIndex(a);
      ucSwap.add(cosineDistance(weights(a, cls, image, "UC"), weights(b, cls, image, "UC")));
      ucNoise.add(cosineDistance(weights(a, cls, image, "UC"), weights(a2, cls, image, "UC")));
      miSwap.add(cosineDistance(weights(a, cls, image, "MI"), weights(b, cls, image, "MI")));
      miNoise.add(cosineDistance(weights(a, cls, image, "MI"), weights(a2, cls, image, "MI")));
    }
    if (ra2.isEmpty()) {
      failures.add("swap: no noise-floor runs");
    }
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("scenes", ucSwap.size());
    s.put("UC_V", distances(ucSwap, ucNoise));
    s.put("MI_V", distances(miSwap, miNoise));
    s.put(
        "rule",
        "cosine distance of the image weights for the first question's label: question a vs"
            + " question b (same seed) and question a vs question a (seed + 1, the noise floor)");
    return s;
  }

  private static Map<String, Object> distances(List<Double> swap, List<Double> noise) {
    Map<String, Object> d = new LinkedHashMap<>();
    double[] ms = meanSe(swap);
    double[] mn = meanSe(noise);
    d.put("swapMean", ms[0]);
    d.put("swapStandardError", ms[1]);
    d.put("noiseMean", mn[0]);
    d.put("noiseStandardError", mn[1]);
    d.put("ratio", mn[0] == 0 ? null : ms[0] / mn[0]);
    return d;
  }

  static double[] meanSe(List<Double> xs) {
    int n = xs.size();
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double mean = 0;
    for (double x : xs) {
      mean += x;
    }
    mean /= n;
    double ss = 0;
    for (double x : xs) {
      ss += (x - mean) * (x - mean);
    }
    double se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN;
    return new double[] {mean, se};
  }

  /** Writes {@code out} as pretty JSON to {@code file} (or standard output when null). */
  public static void write(Map<String, Object> out, Path file) {
    String text = Json.pretty(out);
    if (file == null) {
      System.out.println(text);
      return;
    }
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, text + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    System.err.println("wrote " + file);
  }
}
