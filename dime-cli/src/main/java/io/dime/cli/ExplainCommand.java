package io.dime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.Versions;
import io.dime.core.infer.EncodedModel;
import io.dime.core.io.Json;
import io.dime.core.job.Manifest;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.pipeline.Pipelines;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.DimePlugin;
import io.dime.spi.Modality;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
      "feature weights. Writes OUT/explanations.jsonl, OUT/summary.json and OUT/report.html;",
      "resumes a stopped run.",
      "Exit code 0: all explained, 1: some records failed (errors are in the output), 2: usage."
    })
final class ExplainCommand implements Callable<Integer> {
  static final String EXPLANATIONS = "explanations.jsonl";
  static final String SUMMARY = "summary.json";

  /** Pool records for the hidden-baseline check: 2 x k model rows each. */
  static final int HIDDEN_BASELINE_RECORDS = 100;

  static final String REPORT = "report.html";

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

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "output directory (required unless --dry-run)")
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

  @picocli.CommandLine.Mixin PluginDirs plugins;

  @Option(
      names = "--quiet",
      description = "no progress bar or messages on standard error (errors still go there)")
  boolean quiet;

  @Option(
      names = "--log-json",
      paramLabel = "FILE",
      description =
          "append one JSON object per line and event to FILE: start (totals), point (each"
              + " finished datapoint: id, index, done, total, seconds, rate, etaSeconds, ok), end"
              + " (counts); - writes them to standard error instead of the progress bar and"
              + " messages")
  String logJson;

  @Option(
      names = "--dry-run",
      description =
          "explain nothing and write nothing: print, for each estimator (R or N = --references),"
              + " the passes per datapoint, the one-off preparation passes and the total for the"
              + " manifest's readable records, with a time estimate from a short measured run of"
              + " the model (a few seconds)")
  boolean dryRun;

  @Option(names = "--json", description = "with --dry-run: print the dry run as JSON")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (json && !dryRun) {
      throw new IllegalArgumentException("--json goes with --dry-run");
    }
    if (out == null && !dryRun) {
      throw new IllegalArgumentException("--out DIR is required (except with --dry-run)");
    }
    PluginRegistry registry = plugins.load();
    if (poolSize != null && poolSize < 1) {
      throw new IllegalArgumentException("--pool-size must be at least 1, found " + poolSize);
    }
    if (!Files.isRegularFile(data)) {
      throw new IllegalArgumentException("no data file " + data);
    }
    PipelineFile pipe = PipelineFile.read(pipeline);
    List<Modality<?>> modalities = Pipelines.modalities(registry, pipe, pipeline);
    Targets targets = Targets.parse(classes);

    List<Manifest.Entry> entries = Manifest.read(data, modalities);
    List<Manifest.Entry> poolEntries =
        pool == null || pool.equals(data) ? entries : Manifest.read(pool, modalities);
    List<io.dime.api.Datapoint> poolPoints = poolPoints(poolEntries, modalities);
    int skippedPool = poolSkipped;

    EncodedModel encoded = Pipelines.model(registry, model, pipe, modalities);
    long started = System.nanoTime();
    Map<String, String> plugins = new TreeMap<>();
    for (DimePlugin p : registry.plugins()) {
      plugins.put(p.name(), p.version());
    }
    // Everything but the model and the estimator, as this run sets it (the dry run reuses it).
    Supplier<Dime.Builder> base =
        () -> {
          Dime.Builder x =
              Dime.builder()
                  .referencePool(poolPoints)
                  .surrogate(
                      registry
                          .surrogate(engine.surrogate.replace('-', '_'))
                          .create(PluginConfig.empty("surrogate " + engine.surrogate)))
                  .samples(engine.samples)
                  .seed(engine.seed)
                  .batchSize(batchSize)
                  .replicates(engine.replicates);
          if (pipe.kind() != null) {
            x.outputKind(pipe.kind());
          }
          engine.scoresOn(x);
          modalities.forEach(x::modality);
          return x;
        };
    if (dryRun) {
      List<io.dime.api.Datapoint> readable = readable(entries);
      try (encoded) {
        return DryRun.run(
            new DryRun.Setup(
                base,
                encoded,
                readable,
                entries.size(),
                poolPoints.size(),
                skippedPool,
                globalGrid(poolPoints.size(), modalities.size()),
                modalities.stream().map(Modality::name).toList(),
                targets,
                classes,
                engine,
                batchSize),
            json,
            System.out);
      }
    }
    Dime.Builder b =
        base.get()
            .model(encoded)
            .estimator(engine.estimator())
            .provenance("manifestSha256", Versions.sha256(data))
            .provenance("pipelineSha256", Versions.sha256(pipeline))
            .provenance("plugins", plugins)
            .provenance("poolSelection", poolSelection(poolPoints.size()))
            .provenance("targets", targets.toString());
    if (pool != null && !pool.equals(data)) {
      b.provenance("poolManifestSha256", Versions.sha256(pool));
    }
    try (encoded;
        Dime dime = b.build();
        EventLog log = EventLog.open(logJson)) {
      try {
        return run(
            dime, modalities, pipe, entries, targets, poolPoints.size(), skippedPool, started, log);
      } catch (IOException | RuntimeException e) {
        ObjectNode abort = log.event("end");
        abort.put("exitCode", 2);
        abort.put("error", String.valueOf(e.getMessage()));
        log.write(abort);
        throw e;
      }
    }
  }

  private int run(
      Dime dime,
      List<Modality<?>> modalities,
      PipelineFile pipe,
      List<Manifest.Entry> entries,
      Targets targets,
      int poolCount,
      int skippedPool,
      long started,
      EventLog log)
      throws IOException {
    // Human progress and messages: off with --quiet, and when the JSON log takes standard error.
    boolean human = !quiet && !log.toStderr();
    Map<String, Object> provenance = dime.provenance().toMap();
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
        lines[i] = Json.line(e.recordError());
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
    if (human && resumed > 0) {
      System.err.println("resuming: " + resumed + " datapoints already explained in " + file);
    }

    int unreadable = (int) entries.stream().filter(e -> !e.ok()).count();
    int th = engine.threadCount();
    ObjectNode start = log.event("start");
    start.put("records", entries.size());
    start.put("readable", entries.size() - unreadable);
    start.put("unreadable", unreadable);
    start.put("resumed", resumed);
    start.put("total", todo.size());
    start.put("threads", th);
    start.put("estimator", engine.estimator);
    start.put("references", engine.references);
    start.put("samples", engine.samples);
    start.put("replicates", engine.replicates);
    start.put("passesPerPointOneClass", dime.passFormula(1) * engine.replicates);
    start.put("out", out.toString());
    log.write(start);

    Progress progress = new Progress(Math.max(1, todo.size()), !human);
    long t0 = System.nanoTime();
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
            if (log.enabled()) {
              log.write(pointEvent(log, r, i, entries.get(i), done[0], todo.size(), t0));
            }
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
    io.dime.api.run.RecordCounts counts =
        new io.dime.api.run.RecordCounts(
            entries.size(),
            explanations.size(),
            failed,
            resumed,
            todo.size(),
            stale.size(),
            poolCount,
            skippedPool);
    int k = dime.modalityCount();
    int grid = globalGrid(poolCount, k);
    io.dime.api.run.GlobalShares global;
    try {
      global = dime.globalAnalysis(grid);
    } catch (RuntimeException e) {
      global = io.dime.api.run.GlobalShares.failed(grid, String.valueOf(e.getMessage()));
    }
    io.dime.api.run.HiddenFeatureCheck hidden;
    try {
      List<io.dime.api.run.HiddenModality> hb = dime.hiddenBaseline(HIDDEN_BASELINE_RECORDS);
      hidden = io.dime.api.run.HiddenFeatureCheck.of(hb);
      for (io.dime.api.run.HiddenModality m : hb) {
        if (m.dominant()) {
          int c = m.topHidden();
          System.err.printf(
              Locale.ROOT,
              "dime: warning: with all of '%s' hidden the model answers '%s' for %.0f%% of %d pool"
                  + " records (%.0f%% unhidden); weights toward '%s' partly measure the hidden"
                  + " state (summary.json, hiddenBaseline)%n",
              m.modality(),
              dime.outputNames().get(c),
              100 * m.shareHidden()[c],
              m.records(),
              100 * m.shareOriginal()[c],
              dime.outputNames().get(c));
        }
      }
    } catch (RuntimeException e) {
      hidden = io.dime.api.run.HiddenFeatureCheck.failed(String.valueOf(e.getMessage()));
    }
    List<String> notes =
        List.of(
            "Expectations are taken over a reference pool of "
                + poolCount
                + " datapoints ("
                + (pool == null ? "the data file" : pool.toString())
                + "); pairing one datapoint's modality with other datapoints' modalities makes"
                + " inputs that may lie off the data manifold, so UC and MI also describe the"
                + " model on such mixed inputs.");
    io.dime.api.run.RunSummary summary =
        new io.dime.api.run.RunSummary(
            Explanation.SCHEMA_VERSION,
            counts,
            passes(dime, explanations),
            global,
            hidden,
            dominance(dime.modalityNames(), explanations),
            notes,
            dime.provenance(),
            new io.dime.api.run.RunTimings(
                (System.nanoTime() - started) / 1e9,
                explainSeconds,
                todo.isEmpty()
                    ? java.util.OptionalDouble.empty()
                    : java.util.OptionalDouble.of(explainSeconds / todo.size())));
    writeAtomically(out.resolve(SUMMARY), List.of(io.dime.core.io.SummaryJson.write(summary)));
    long reportStart = System.nanoTime();
    List<String> reportProblems =
        ReportBuilder.write(
            out.resolve(REPORT),
            dime,
            modalities,
            entries,
            ordered,
            summary,
            pipe.classNames(),
            "DIME report: " + data.getFileName());
    for (String problem : reportProblems) {
      System.err.println("dime: report: " + problem);
    }
    double reportSeconds = (System.nanoTime() - reportStart) / 1e9;
    ObjectNode end = log.event("end");
    end.put("records", entries.size());
    end.put("explained", explanations.size());
    end.put("failed", failed);
    end.put("unreadable", unreadable);
    end.put("resumed", resumed);
    end.put("explainedThisRun", todo.size());
    end.put("seconds", explainSeconds);
    end.put("totalSeconds", (System.nanoTime() - started) / 1e9);
    end.put("exitCode", failed == 0 ? 0 : 1);
    log.write(end);
    if (human) {
      System.err.println(
          "explained "
              + explanations.size()
              + ", failed "
              + failed
              + "; wrote "
              + file
              + ", "
              + out.resolve(SUMMARY)
              + String.format(" and %s (%.1f s)", out.resolve(REPORT), reportSeconds));
    }
    return failed == 0 ? 0 : 1;
  }

  /** The {@code point} event of one finished datapoint. */
  private static ObjectNode pointEvent(
      EventLog log,
      ExplainResult r,
      int index,
      Manifest.Entry entry,
      int done,
      int total,
      long t0) {
    double elapsed = (System.nanoTime() - t0) / 1e9;
    double rate = done / Math.max(elapsed, 1e-9);
    ObjectNode n = log.event("point");
    n.put("id", entry.id());
    n.put("index", index);
    n.put("line", entry.line());
    n.put("done", done);
    n.put("total", total);
    if (r instanceof Explanation e && e.timings() != null) {
      n.put("seconds", EventLog.finite(e.timings().totalSeconds()));
    } else {
      n.putNull("seconds");
    }
    n.put("elapsedSeconds", elapsed);
    n.put("rate", EventLog.finite(rate));
    n.put("etaSeconds", EventLog.finite((total - done) / rate));
    n.put("ok", r instanceof Explanation);
    if (r instanceof RecordError e) {
      ObjectNode err = n.putObject("error");
      err.put("stage", e.stage());
      err.put("message", e.message());
    }
    return n;
  }

  /** The readable datapoints of a manifest, in file order. */
  private static List<io.dime.api.Datapoint> readable(List<Manifest.Entry> entries) {
    List<io.dime.api.Datapoint> ok = new ArrayList<>();
    for (Manifest.Entry e : entries) {
      if (e.ok()) {
        ok.add(e.datapoint());
      }
    }
    return ok;
  }

  /** References per modality of the summary's global analysis (a grid of n^k passes). */
  static int globalGrid(int poolCount, int k) {
    return Math.min(poolCount, k == 2 ? 50 : k == 3 ? 20 : 10);
  }

  private String poolWarning(Manifest.Entry e, String problem) {
    return "record "
        + (e.id() == null ? "" : "'" + e.id() + "' ")
        + "(line "
        + e.line()
        + " of "
        + (pool == null ? data : pool).getFileName()
        + "): "
        + (e.id() != null && problem.startsWith("record '" + e.id() + "': ")
            ? problem.substring(("record '" + e.id() + "': ").length())
            : problem);
  }

  /** Pool records left out: unreadable, or encoding unlike the rest of the pool. */
  private int poolSkipped;

  /**
   * The pool's usable datapoints. Records that cannot be read, and records whose encodings have
   * other shapes than the rest of the pool's (they would fail every batch they join), are left out
   * with a warning naming each (the first 10) on standard error.
   */
  private List<io.dime.api.Datapoint> poolPoints(
      List<Manifest.Entry> poolEntries, List<Modality<?>> modalities) {
    boolean separate = pool != null && !pool.equals(data);
    List<String> warnings = new ArrayList<>();
    List<Manifest.Entry> readable = new ArrayList<>();
    for (Manifest.Entry e : poolEntries) {
      if (e.ok()) {
        readable.add(e);
      } else if (separate) {
        // records of the data file report their own errors
        warnings.add(poolWarning(e, e.error()));
      }
    }
    List<String> problems =
        io.dime.core.PoolEncodings.problems(
            modalities, readable.stream().map(Manifest.Entry::datapoint).toList());
    List<io.dime.api.Datapoint> ok = new ArrayList<>();
    for (int i = 0; i < readable.size(); i++) {
      Manifest.Entry e = readable.get(i);
      if (problems.get(i) == null) {
        ok.add(e.datapoint());
      } else {
        warnings.add(poolWarning(e, problems.get(i)));
      }
    }
    poolSkipped = poolEntries.size() - ok.size();
    for (int i = 0; i < Math.min(10, warnings.size()); i++) {
      System.err.println("dime: warning: left out of the reference pool: " + warnings.get(i));
      System.err.flush();
    }
    if (warnings.size() > 10) {
      System.err.println(
          "dime: warning: " + (warnings.size() - 10) + " more records left out of the pool");
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

  private static io.dime.api.run.PassTotals passes(Dime dime, List<JsonNode> explanations) {
    long rows = 0;
    long cached = 0;
    for (JsonNode n : explanations) {
      rows += n.path("passes").path("rows").asLong();
      cached += n.path("passes").path("cachedRows").asLong();
    }
    return new io.dime.api.run.PassTotals(rows, cached, dime.passFormula(), dime.preparationRows());
  }

  /**
   * The paper's Table 4: per explanation type and modality, the mean over explained (datapoint,
   * class) pairs of the mean absolute weight of the top-5 features.
   */
  static Map<String, Map<String, Double>> dominance(
      List<String> names, List<JsonNode> explanations) {
    Map<String, Map<String, Double>> table = new LinkedHashMap<>();
    for (String type : List.of("UC", "MI", "LIME")) {
      Map<String, Double> row = new LinkedHashMap<>();
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
      return Json.line(e.atLine(line));
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
