package io.dime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.Versions;
import io.dime.core.decompose.GlobalAnalysis;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.EncodedModel;
import io.dime.core.io.Json;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.DimePlugin;
import io.dime.spi.Modality;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelAdapterFactory;
import io.dime.spi.PluginConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dime explain}: explains every datapoint of a JSONL manifest with a model and a pipeline
 * file, writing {@code explanations.jsonl} (one line per datapoint, in input order) and {@code
 * summary.json}. Rerunning with the same {@code --out} keeps the datapoints already explained and
 * explains the rest (failed ones are retried).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "explain",
    description = {
      "Explain every datapoint of a JSONL manifest: value decomposition (UC/MI) and per-modality",
      "feature weights. Writes OUT/explanations.jsonl and OUT/summary.json; resumes a stopped run.",
      "Exit code 0: all explained, 1: some records failed (errors are in the output), 2: usage."
    })
final class ExplainCommand implements Callable<Integer> {
  static final String EXPLANATIONS = "explanations.jsonl";
  static final String SUMMARY = "summary.json";

  /** Provenance keys that may differ between the runs of one resumed job. */
  private static final Set<String> RESUME_FREE =
      Set.of("referenceDrawHash", "manifestSha256", "dimeVersion", "libraries");

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME:LOCATION",
      description = "model adapter and its location, e.g. onnx:model.onnx")
  String model;

  @Option(
      names = "--pipeline",
      required = true,
      paramLabel = "FILE",
      description = "pipeline file (YAML or JSON): modalities, output, outputKind, classNames")
  Path pipeline;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "JSONL manifest: id, one field per modality, optional label")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  Path out;

  @picocli.CommandLine.Mixin EngineOptions engine;

  @Option(
      names = "--classes",
      defaultValue = "predicted,label",
      description =
          "predicted, label, or class names/indices, comma-separated (default"
              + " ${DEFAULT-VALUE})")
  String classes;

  @Option(names = "--batch-size", defaultValue = "256")
  int batchSize;

  @Option(
      names = "--pool",
      paramLabel = "FILE",
      description = "JSONL manifest of the reference pool (default: the data file)")
  Path pool;

  @Option(
      names = "--pool-size",
      paramLabel = "N",
      description = "use the first N pool records after a seeded shuffle (default: all)")
  Integer poolSize;

  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      description = "directory of plugin jars (repeatable)")
  List<Path> pluginDirs = new ArrayList<>();

  @Option(names = "--quiet", description = "no progress on standard error")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PluginRegistry registry = PluginRegistry.load(pluginDirs);
    int colon = model.indexOf(':');
    if (colon < 1 || colon == model.length() - 1) {
      throw new IllegalArgumentException(
          "--model must be NAME:LOCATION (e.g. onnx:model.onnx); model adapters: "
              + registry.modelAdapters().keySet());
    }
    String adapterName = model.substring(0, colon);
    String location = model.substring(colon + 1);
    ModelAdapterFactory adapterFactory = registry.modelAdapter(adapterName);
    if (poolSize != null && poolSize < 1) {
      throw new IllegalArgumentException("--pool-size must be at least 1, found " + poolSize);
    }
    if (!Files.isRegularFile(data)) {
      throw new IllegalArgumentException("no data file " + data);
    }
    PipelineFile pipe = PipelineFile.read(pipeline);
    List<Modality<?>> modalities = modalities(registry, pipe);
    Targets targets = Targets.parse(classes);

    List<Manifest.Entry> entries = Manifest.read(data, modalities);
    List<Manifest.Entry> poolEntries =
        pool == null || pool.equals(data) ? entries : Manifest.read(pool, modalities);
    List<io.dime.api.Datapoint> poolPoints = poolPoints(poolEntries);
    int skippedPool = (int) poolEntries.stream().filter(e -> !e.ok()).count();

    ModelAdapter adapter = adapterFactory.open(location, PluginConfig.empty("model " + model));
    EncodedModel encoded;
    try {
      encoded =
          new EncodedModel(modalities, adapter, pipe.output(), pipe.kind(), pipe.classNames());
    } catch (RuntimeException e) {
      adapter.close();
      throw e;
    }
    long started = System.nanoTime();
    Map<String, String> plugins = new TreeMap<>();
    for (DimePlugin p : registry.plugins()) {
      plugins.put(p.name(), p.version());
    }
    Dime.Builder b =
        Dime.builder()
            .model(encoded)
            .referencePool(poolPoints)
            .estimator(Estimators.byName(engine.estimator, engine.references))
            .surrogate(
                registry
                    .surrogate(engine.surrogate.replace('-', '_'))
                    .create(PluginConfig.empty("surrogate " + engine.surrogate)))
            .samples(engine.samples)
            .seed(engine.seed)
            .batchSize(batchSize)
            .replicates(engine.replicates)
            .provenance("manifestSha256", Versions.sha256(data))
            .provenance("pipelineSha256", Versions.sha256(pipeline))
            .provenance("plugins", plugins)
            .provenance("poolSelection", poolSelection(poolPoints.size()))
            .provenance("targets", targets.toString());
    if (pool != null && !pool.equals(data)) {
      b.provenance("poolManifestSha256", Versions.sha256(pool));
    }
    if (pipe.kind() != null) {
      b.outputKind(pipe.kind());
    }
    modalities.forEach(b::modality);
    try (encoded;
        Dime dime = b.build()) {
      return run(dime, entries, targets, poolPoints.size(), skippedPool, started);
    }
  }

  private int run(
      Dime dime,
      List<Manifest.Entry> entries,
      Targets targets,
      int poolCount,
      int skippedPool,
      long started)
      throws IOException {
    Map<String, Object> provenance = dime.provenance();
    Files.createDirectories(out);
    Path file = out.resolve(EXPLANATIONS);
    Map<String, String> kept = previous(file, provenance);

    // Each entry's output line; kept explanations first, the rest as they finish.
    String[] lines = new String[entries.size()];
    Map<String, Integer> slot = new HashMap<>();
    List<io.dime.api.Datapoint> todo = new ArrayList<>();
    List<Integer> todoSlots = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Manifest.Entry e = entries.get(i);
      if (!e.ok()) {
        lines[i] = e.errorLine();
        continue;
      }
      slot.put(e.id(), i);
      String line = kept.get(e.id());
      if (line != null) {
        lines[i] = line;
      } else {
        todo.add(e.datapoint());
        todoSlots.add(i);
      }
    }
    List<String> stale = new ArrayList<>();
    kept.forEach(
        (id, line) -> {
          if (!slot.containsKey(id)) {
            stale.add(line);
          }
        });
    // Compact what is kept (drops old errors and torn lines), then append as points finish.
    List<String> compact = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (lines[i] != null) {
        compact.add(lines[i]);
      }
    }
    compact.addAll(stale);
    writeAtomically(file, compact);
    int resumed =
        entries.size() - todo.size() - (int) entries.stream().filter(e -> !e.ok()).count();
    if (!quiet && resumed > 0) {
      System.err.println("resuming: " + resumed + " datapoints already explained in " + file);
    }

    Progress progress = new Progress(Math.max(1, todo.size()), quiet);
    long t0 = System.nanoTime();
    int th = engine.threadCount();
    int[] done = {0};
    try (BufferedWriter w =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      dime.explainAll(
          todo,
          targets,
          th,
          r -> {
            int i = todoSlots.get(done[0]);
            String line = resultLine(r, entries.get(i).line());
            lines[i] = line;
            try {
              w.write(line);
              w.write('\n');
              w.flush();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException("cannot write " + file, e);
            }
            done[0]++;
            progress.update(done[0]);
          });
    }
    progress.done();
    double explainSeconds = (System.nanoTime() - t0) / 1e9;
    List<String> ordered = new ArrayList<>(Arrays.asList(lines));
    ordered.addAll(stale);
    writeAtomically(file, ordered);

    int failed = 0;
    List<JsonNode> explanations = new ArrayList<>();
    for (String line : lines) {
      JsonNode n = Json.mapper().readTree(line);
      if (n.has("error")) {
        failed++;
      } else {
        explanations.add(n);
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("schemaVersion", Explanation.SCHEMA_VERSION);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("records", entries.size());
    counts.put("explained", explanations.size());
    counts.put("failed", failed);
    counts.put("resumed", resumed);
    counts.put("explainedThisRun", todo.size());
    counts.put("staleLines", stale.size());
    counts.put("poolSize", poolCount);
    counts.put("poolRecordsSkipped", skippedPool);
    summary.put("counts", counts);
    summary.put("passes", passes(dime, explanations));

    int k = dime.modalityCount();
    int grid = Math.min(poolCount, k == 2 ? 50 : k == 3 ? 20 : 10);
    Map<String, Object> global = new LinkedHashMap<>();
    try {
      GlobalAnalysis.Result g = dime.globalAnalysis(grid);
      global.put("references", g.references());
      global.put("rows", g.rows());
      global.put("shares", g.shares());
      global.put("additiveShare", g.additiveShare());
      global.put("modelAccuracy", g.modelAccuracy());
      global.put("additiveAccuracy", g.additiveAccuracy());
    } catch (RuntimeException e) {
      global.put("references", grid);
      global.put("error", e.getMessage());
    }
    summary.put("globalAnalysis", global);
    summary.put("dominance", dominance(dime.modalityNames(), explanations));
    summary.put(
        "notes",
        List.of(
            "Expectations are taken over a reference pool of "
                + poolCount
                + " datapoints ("
                + (pool == null ? "the data file" : pool.toString())
                + "); pairing one datapoint's modality with other datapoints' modalities makes"
                + " inputs that may lie off the data manifold, so UC and MI also describe the"
                + " model on such mixed inputs."));
    Map<String, Object> prov = new LinkedHashMap<>(provenance);
    summary.put("provenance", prov);
    Map<String, Object> timings = new LinkedHashMap<>();
    timings.put("totalSeconds", (System.nanoTime() - started) / 1e9);
    timings.put("explainSeconds", explainSeconds);
    timings.put("secondsPerPoint", todo.isEmpty() ? null : explainSeconds / todo.size());
    summary.put("timings", timings);
    writeAtomically(out.resolve(SUMMARY), List.of(Json.pretty(summary)));
    if (!quiet) {
      System.err.println(
          "explained "
              + explanations.size()
              + ", failed "
              + failed
              + "; wrote "
              + file
              + " and "
              + out.resolve(SUMMARY));
    }
    return failed == 0 ? 0 : 1;
  }

  private List<Modality<?>> modalities(PluginRegistry registry, PipelineFile pipe) {
    List<Modality<?>> out = new ArrayList<>();
    Path dir = pipeline.toAbsolutePath().getParent();
    for (PipelineFile.ModalitySpec s : pipe.modalities()) {
      Map<String, Object> settings =
          new LinkedHashMap<>(s.settings() == null ? Map.of() : s.settings());
      if (s.plugin().equals("text") && !settings.containsKey("baseDirectory")) {
        settings.put("baseDirectory", dir.toString());
      }
      io.dime.spi.ModalityFactory f;
      try {
        f = registry.modality(s.plugin());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "pipeline " + pipeline + ", modality '" + s.name() + "': " + e.getMessage(), e);
      }
      out.add(f.create(s.name(), new PluginConfig("modality " + s.name(), settings)));
    }
    return out;
  }

  private List<io.dime.api.Datapoint> poolPoints(List<Manifest.Entry> poolEntries) {
    List<io.dime.api.Datapoint> ok = new ArrayList<>();
    for (Manifest.Entry e : poolEntries) {
      if (e.ok()) {
        ok.add(e.datapoint());
      }
    }
    if (ok.isEmpty()) {
      throw new IllegalArgumentException(
          "the reference pool has no readable records (" + (pool == null ? data : pool) + ")");
    }
    if (poolSize != null && poolSize < ok.size()) {
      SplittableRandom rng = new SplittableRandom(engine.seed);
      for (int i = ok.size() - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        io.dime.api.Datapoint t = ok.get(i);
        ok.set(i, ok.get(j));
        ok.set(j, t);
      }
      ok = new ArrayList<>(ok.subList(0, poolSize));
    }
    return ok;
  }

  private String poolSelection(int n) {
    return poolSize == null || n < poolSize
        ? "all readable records in file order"
        : "first " + n + " after a shuffle with seed " + engine.seed;
  }

  /**
   * The successful explanations of an earlier run, by id; fails when they were made with other
   * settings.
   */
  private static Map<String, String> previous(Path file, Map<String, Object> provenance)
      throws IOException {
    Map<String, String> kept = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return kept;
    }
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    provenance.forEach(
        (key, v) -> {
          if (!RESUME_FREE.contains(key)) {
            try {
              expected.put(key, Json.mapper().readTree(Json.line(v)));
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }
        });
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = Json.mapper().readTree(line);
      } catch (IOException e) {
        continue; // a line torn by a crash: explained again
      }
      if (n == null || !n.isObject() || n.has("error") || !n.path("id").isTextual()) {
        continue;
      }
      JsonNode p = n.path("provenance");
      for (Map.Entry<String, JsonNode> e : expected.entrySet()) {
        if (!e.getValue().equals(p.get(e.getKey()))) {
          throw new IllegalArgumentException(
              file
                  + " holds explanations made with other settings ('"
                  + e.getKey()
                  + "' differs for record '"
                  + n.get("id").asText()
                  + "'); use another --out or remove the file");
        }
      }
      kept.put(n.get("id").asText(), line);
    }
    return kept;
  }

  private static Map<String, Object> passes(Dime dime, List<JsonNode> explanations) {
    long rows = 0;
    long cached = 0;
    for (JsonNode n : explanations) {
      rows += n.path("passes").path("rows").asLong();
      cached += n.path("passes").path("cachedRows").asLong();
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("totalRows", rows);
    p.put("cachedRows", cached);
    p.put("formulaPerPoint", dime.passFormula());
    p.put("preparationRows", dime.preparationRows());
    return p;
  }

  /**
   * The paper's Table 4: per explanation type and modality, the mean over explained (datapoint,
   * class) pairs of the mean absolute weight of the top-5 features.
   */
  static Map<String, Object> dominance(List<String> names, List<JsonNode> explanations) {
    Map<String, Object> table = new LinkedHashMap<>();
    for (String type : List.of("UC", "MI", "LIME")) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (String m : names) {
        double sum = 0;
        int count = 0;
        for (JsonNode e : explanations) {
          for (JsonNode c : e.path("classes")) {
            for (JsonNode me : c.path("modalities")) {
              if (!m.equals(me.path("modality").asText())) {
                continue;
              }
              for (JsonNode f : me.path("fits")) {
                if (type.equals(f.path("key").asText())) {
                  sum += topMeanAbs(f.path("weights"), 5);
                  count++;
                }
              }
            }
          }
        }
        if (count > 0) {
          row.put(m, sum / count);
        }
      }
      if (!row.isEmpty()) {
        table.put(type, row);
      }
    }
    return table;
  }

  private static double topMeanAbs(JsonNode weights, int top) {
    double[] a = new double[weights.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.abs(weights.get(i).asDouble());
    }
    Arrays.sort(a);
    int n = Math.min(top, a.length);
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[a.length - 1 - i];
    }
    return n == 0 ? 0 : s / n;
  }

  private static String resultLine(ExplainResult r, int line) {
    if (r instanceof RecordError e) {
      return errorLine(e.id(), line, e.stage(), e.message());
    }
    return Json.line(r);
  }

  /** The JSON line of a record that failed. */
  static String errorLine(String id, int line, String stage, String message) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("schemaVersion", Explanation.SCHEMA_VERSION);
    n.put("id", id);
    n.put("line", line);
    ObjectNode err = n.putObject("error");
    err.put("stage", stage);
    err.put("message", message);
    return Json.line(n);
  }

  private static void writeAtomically(Path file, List<String> lines) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
