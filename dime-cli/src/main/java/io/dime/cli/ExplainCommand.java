package io.dime.cli;

import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.Versions;
import io.dime.core.infer.EncodedModel;
import io.dime.core.job.EngineRecipe;
import io.dime.core.job.ExplanationJob;
import io.dime.core.job.ExplanationsFile;
import io.dime.core.job.RemoteExplainer;
import io.dime.core.job.RemoteExplainerProvider;
import io.dime.core.job.SummaryFile;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.DimePlugin;
import io.dime.spi.Modality;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
    versionProvider = Main.Version.class,
    name = "explain",
    header = "Explain every datapoint of a JSONL manifest with a model.",
    description =
        "Explains every datapoint of a JSONL manifest: value decomposition (UC/MI) and"
            + " per-modality feature weights. Writes OUT/explanations.jsonl, OUT/summary.json and"
            + " OUT/report.html; resumes a stopped run.",
    footer = {
      "",
      "Exit codes: 0 all explained; 1 some records failed (their errors are in the output); 2"
          + " usage error before any work; 3 the job itself failed or stopped (it says why; a"
          + " rerun resumes)."
    })
final class ExplainCommand implements Callable<Integer> {
  static final String EXPLANATIONS = ExplanationsFile.NAME;
  static final String SUMMARY = SummaryFile.NAME;
  static final String REPORT = "report.html";

  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME:LOCATION",
      description = {
        "model adapter and its location: onnx:model.onnx, or a model served over the Open"
            + " Inference Protocol (KServe v2, Triton) as",
        "oip:http://HOST:PORT/v2/models/NAME",
        "with /versions/VERSION after it for a version"
      })
  String model;

  @Option(
      names = "--pipeline",
      required = true,
      paramLabel = "FILE",
      description =
          "pipeline file (YAML or JSON): modalities, output, outputKind, classNames or"
              + " targets")
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

  @picocli.CommandLine.Mixin ModelOptions models;

  @Option(
      names = "--classes",
      paramLabel = "WHICH",
      description =
          "predicted, label, all, or class (or target) names or indices, comma-separated (default:"
              + " the predicted class and the label; all when the pipeline lists targets)")
  String classes;

  @Option(
      names = "--batch-size",
      defaultValue = "256",
      paramLabel = "N",
      description =
          "rows per model call (default ${DEFAULT-VALUE}; fewer where a row's inputs are large: a"
              + " batch holds at most 64 MiB of them, a 16th of a heap under 1 GiB, and at most"
              + " heap / (8 x the larger of the processors and --threads))")
  int batchSize;

  @Option(
      names = "--pool",
      paramLabel = "FILE",
      description =
          "JSONL manifest of the reference pool (default: the data file, then held in memory"
              + " whole; beside a pool of its own the data file is read one record at a time)")
  Path pool;

  @Option(
      names = "--pool-size",
      paramLabel = "N",
      description =
          "use the first N pool records after a seeded shuffle (default: all); only the chosen"
              + " ones are held, and the data file is read one record at a time")
  Integer poolSize;

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      description =
          "the folder every file a manifest names must lie under (default: each manifest's own"
              + " folder); absolute paths under it are fine, paths that leave it (through .. or"
              + " symbolic links) are an error for their record")
  Path dataRoot;

  @Option(
      names = "--allow-outside-paths",
      description = "read files a manifest names wherever they are (no data root)")
  boolean allowOutsidePaths;

  @Option(
      names = "--max-model-failures",
      paramLabel = "N",
      defaultValue = "10",
      description =
          "stop the job (exit code 3) once the model has failed on N records in a row, with one"
              + " message instead of the same error for every record left; a rerun resumes"
              + " (default ${DEFAULT-VALUE}; 0: never stop)")
  int maxModelFailures;

  @picocli.CommandLine.Mixin PluginDirs plugins;

  @picocli.CommandLine.Mixin ReportOptions reportOptions;

  @Option(
      names = "--quiet",
      description =
          "no progress bar, closing line, failed records' errors or small-pool caution on"
              + " standard error (failed records keep their error lines in the output and"
              + " exit code 1; usage errors, the job's own errors and the other warnings still go"
              + " there)")
  boolean quiet;

  @Option(
      names = "--log-json",
      paramLabel = "FILE",
      description =
          "append one JSON object per line and event to FILE: start (totals), unreadable"
              + " (each record that could not be read: id, line, error), point (each"
              + " finished datapoint: id, index, line, done, total, seconds, elapsedSeconds,"
              + " rate, etaSeconds, ok, and a failed one's error: stage, message), end"
              + " (counts); - writes them to standard error instead of the progress bar and"
              + " the closing line (warnings and errors still go there, as lines of text: skip"
              + " the lines that do not start with '{')")
  String logJson;

  @Option(
      names = "--dry-run",
      description =
          "explain nothing and write nothing: print, for each estimator (R or N = --references),"
              + " the passes per datapoint, the one-off preparation passes and the total for the"
              + " manifest's readable records, with a time estimate from a measured run of the"
              + " model (rounds of 4 datapoints per thread but at most the readable records, at a"
              + " small sample count and, where affordable, at the run's own; a round starts only"
              + " while the measuring so far and that round stay within the running estimate of"
              + " the job's explanations, or 10 s: seconds for a fast model, about the job at most"
              + " for a slow one)")
  boolean dryRun;

  @Option(names = "--json", description = "with --dry-run: print the dry run as JSON")
  boolean json;

  @Option(
      names = "--spark",
      paramLabel = "MASTER",
      description = {
        "explain on Apache Spark: local[4], yarn or a standalone cluster's",
        "spark://HOST:7077",
        "(paths must be the same on every machine); the output is the same as without it, plus"
            + " OUT/parquet. Needs the distribution's Spark part, which the launcher builds when"
            + " --spark is given"
      })
  String spark;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description =
          "with --spark: parts the records are cut into (default: 2 per Spark core, and more where"
              + " needed so that no part holds over 50 records)")
  Integer partitions;

  /** --classes as given, or its default: every target when the pipeline lists targets. */
  static String classesOrDefault(String classes, io.dime.core.pipeline.PipelineFile pipe) {
    if (classes != null) {
      return classes;
    }
    return pipe.targets() != null && !pipe.targets().isEmpty() ? "all" : "predicted,label";
  }

  /**
   * Refuses, before any work, an output folder that cannot be one: an existing file, or a path
   * whose nearest existing folder cannot be written.
   */
  static void checkOut(Path out) {
    if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
      throw new IllegalArgumentException(
          "--out " + out + " is a file; give a folder (it is made when missing)");
    }
    Path existing = out.toAbsolutePath().normalize();
    while (existing != null && !java.nio.file.Files.exists(existing)) {
      if (java.nio.file.Files.isSymbolicLink(existing)) {
        // a link to nothing: making the folder failed with "OUT: already exists"
        throw new IllegalArgumentException(
            "--out "
                + out
                + ": "
                + existing
                + " is a symbolic link to "
                + linkTarget(existing)
                + ", which does not exist; make that folder, or give another --out");
      }
      existing = existing.getParent();
    }
    if (existing != null && !java.nio.file.Files.isDirectory(existing)) {
      throw new IllegalArgumentException(
          "--out " + out + ": " + existing + " is a file, so no folder can be made under it");
    }
    if (existing != null && !java.nio.file.Files.isWritable(existing)) {
      throw new IllegalArgumentException(
          "--out " + out + ": cannot write in " + existing + " (permission denied)");
    }
  }

  /** The names of the files a run writes in its output folder. */
  private static final java.util.regex.Pattern RUN_FILES =
      java.util.regex.Pattern.compile(
          "explanations\\.jsonl|summary\\.json|job\\.json|\\.dime\\.lock|report(-[0-9]+)?\\.html");

  /**
   * Refuses a --log-json file that is one of the run's inputs or files: the log is appended to it,
   * so a manifest given there (a slip of the shell's history) got the log's lines as records, and
   * OUT/explanations.jsonl lost them to its rewrite.
   */
  private void checkLogJson(Path log) {
    Map<String, Path> inputs = new java.util.LinkedHashMap<>();
    inputs.put("--data manifest", data);
    inputs.put("--pool manifest", pool);
    inputs.put("--pipeline file", pipeline);
    if (model != null && model.startsWith("onnx:")) {
      inputs.put("--model file", Path.of(model.substring("onnx:".length())));
    }
    for (Map.Entry<String, Path> e : inputs.entrySet()) {
      if (e.getValue() != null && sameFile(log, e.getValue())) {
        throw new IllegalArgumentException(
            "--log-json "
                + log
                + " is the "
                + e.getKey()
                + ": the log would be appended to it; give another file");
      }
    }
    if (isRunFile(log)) {
      throw new IllegalArgumentException(
          "--log-json "
              + log
              + " is a file this run writes in --out; give another file, such as "
              + out.resolve("log.jsonl"));
    }
  }

  /**
   * Refuses an input that is one of the files the run writes in --out: {@code --data
   * OUT/summary.json} was replaced by the run's summary, the manifest lost.
   */
  private void checkInputsAreNoRunFiles() {
    Map<String, Path> inputs = new java.util.LinkedHashMap<>();
    inputs.put("--data", data);
    inputs.put("--pool", pool);
    inputs.put("--pipeline", pipeline);
    for (Map.Entry<String, Path> e : inputs.entrySet()) {
      if (e.getValue() != null && isRunFile(e.getValue())) {
        throw new IllegalArgumentException(
            e.getKey()
                + " "
                + e.getValue()
                + " is a file this run writes in --out, which would replace it; move it out of "
                + out
                + ", or choose another --out");
      }
    }
  }

  /** Whether {@code file} is one of the files the run writes in --out. */
  private boolean isRunFile(Path file) {
    Path folder = file.toAbsolutePath().normalize().getParent();
    return out != null
        && folder != null
        && sameFile(folder, out)
        && RUN_FILES.matcher(String.valueOf(file.getFileName())).matches();
  }

  /** Whether two paths name one file (or would, once made). */
  private static boolean sameFile(Path a, Path b) {
    try {
      if (java.nio.file.Files.exists(a) && java.nio.file.Files.exists(b)) {
        return java.nio.file.Files.isSameFile(a, b);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // compared by name below
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  /** Where a symbolic link points, as it says. */
  private static String linkTarget(Path link) {
    try {
      return java.nio.file.Files.readSymbolicLink(link).toString();
    } catch (java.io.IOException e) {
      return "a path that cannot be read";
    }
  }

  /** The option checks that need no file read: usage errors before any work. */
  private void checkOptions() {
    if (json && !dryRun) {
      throw new IllegalArgumentException("--json goes with --dry-run");
    }
    if (batchSize < 1) {
      // else the engine's "batchSize must be at least 1" named no option, and --dry-run exited 1
      throw new IllegalArgumentException("--batch-size must be at least 1, found " + batchSize);
    }
    if (maxModelFailures < 0) {
      throw new IllegalArgumentException(
          "--max-model-failures must be 0 (never stop) or more, found " + maxModelFailures);
    }
    reportOptions.check();
    if (logJson != null && logJson.isBlank()) {
      throw new IllegalArgumentException(
          "--log-json is empty; give a file name, or - for standard error");
    }
    if (out == null && !dryRun) {
      throw new IllegalArgumentException("--out DIR is required (except with --dry-run)");
    }
    if (out != null && !dryRun) {
      checkOut(out);
      checkInputsAreNoRunFiles();
    }
    if (logJson != null && !"-".equals(logJson)) {
      checkLogJson(Main.path(logJson));
    }
    if (dataRoot != null && !java.nio.file.Files.isDirectory(dataRoot)) {
      // else every file a record names "leaves the data root", which hides the typo
      throw new IllegalArgumentException(
          "--data-root "
              + dataRoot
              + (java.nio.file.Files.exists(dataRoot)
                  ? " is not a folder; give the folder the manifest's files lie under"
                  : ": no such folder"));
    }
    if (partitions != null && spark == null) {
      throw new IllegalArgumentException("--partitions N (N >= 1) goes with --spark");
    }
    if (partitions != null && partitions < 1) {
      // it said "goes with --spark" to a command that gave --spark
      throw new IllegalArgumentException("--partitions must be at least 1, found " + partitions);
    }
    if (spark != null && engine.threads != null) {
      // it was accepted and ignored: a Spark run explained as many records at once as ever
      throw new IllegalArgumentException(
          "--threads does not apply with --spark: each Spark task explains its records on its"
              + " spark.task.cpus cores, and the master sets how many tasks run at once (local[N]:"
              + " N); leave out --threads");
    }
    engine.threadCount(); // its bounds, and --model-concurrency's, before any file is read
    models.check();
  }

  @Override
  public Integer call() throws IOException {
    checkOptions();
    RemoteExplainerProvider remote = spark == null || dryRun ? null : sparkPart();
    PluginRegistry registry = plugins.load();
    long started = System.nanoTime();
    JobInputs.Pipeline pipe = JobInputs.pipeline(registry, pipeline, data, pool, poolSize);
    // the model first: a pipeline it does not fit is said once, not as every record's mismatch
    EncodedModel encoded =
        models.open(
            registry,
            spark == null ? model : EngineRecipe.modelSpec(model),
            pipe.pipe(),
            pipe.modalities());
    JobInputs in;
    Targets targets;
    EngineRecipe recipe;
    try {
      in =
          JobInputs.read(
              registry,
              pipe,
              data,
              pool,
              poolSize,
              engine.seed,
              new JobInputs.Access(dataRoot, allowOutsidePaths));
      in.printPoolWarnings(!quiet && !"-".equals(logJson));
      classes = classesOrDefault(classes, in.pipe());
      targets = Targets.parse(classes);
      recipe = recipe(registry, in, targets);
      try {
        targets.check(encoded.outputNames());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--classes: " + e.getMessage(), e);
      }
      in.printReferenceNote(recipe.settings());
    } catch (IOException | RuntimeException e) {
      encoded.close();
      throw e;
    }
    if (dryRun) {
      try (encoded) {
        return DryRun.run(dryRunSetup(in, recipe, encoded, targets), json, System.out, spark);
      }
    }
    try (encoded;
        Dime dime = localEngine(registry, in, recipe, encoded);
        EventLog log = EventLog.open(logJson);
        RemoteExplainer explainer =
            remote == null
                ? null
                : remote.open(
                    new RemoteExplainer.Setup(
                        spark,
                        recipe,
                        in.poolLines(),
                        data,
                        out,
                        partitions == null ? 0 : partitions))) {
      return new ExplainRun(this, in, targets, log).run(dime, started, explainer);
    }
  }

  /** What the dry run measures with: the engine this run would build, and its inputs. */
  private DryRun.Setup dryRunSetup(
      JobInputs in, EngineRecipe recipe, EncodedModel encoded, Targets targets) {
    return new DryRun.Setup(
        () -> { // with the run's own provenance entries, which the dry run reports
          io.dime.core.DimeBuilder b = in.base(recipe);
          recipe.provenance().forEach(b::provenance);
          return b;
        },
        encoded,
        in.readable(),
        in.readableWithValues(),
        in.records().size(),
        in.pool().points().size(),
        in.pool().skipped(),
        globalGrid(in, encoded),
        in.modalities().stream().map(Modality::name).toList(),
        targets,
        classes,
        engine,
        batchSize,
        true);
  }

  /** The summary's global analysis's references per modality for this job. */
  private static int globalGrid(JobInputs in, EncodedModel model) {
    return ExplanationJob.globalGrid(
        in.pool().points().size(), in.modalities().size(), model.outputCount());
  }

  /** The engine of this machine: the recipe's, told how many datapoints it explains at once. */
  private Dime localEngine(
      PluginRegistry registry, JobInputs in, EngineRecipe recipe, EncodedModel encoded) {
    Dime dime =
        recipe
            .configure(registry, in.pipe(), in.modalities(), in.pool().points(), encoded)
            .pointsAtOnce(engine.threadCount())
            .build();
    try {
      checkPassesPerRecord(dime.passFormula(1), in.modalities().size());
    } catch (IllegalArgumentException e) {
      dime.close();
      throw e;
    }
    return dime;
  }

  /**
   * Refuses, before any record, settings under which every record would fail the pass limit (its
   * formula for one class, times the replicates, over --max-passes-per-point): --samples 2147483647
   * failed each record in turn, exit 1, rather than once as a usage error.
   */
  private void checkPassesPerRecord(long oneClass, int modalities) {
    long limit = engine.limits().maxPassesPerPoint();
    int replicates = engine.replicates;
    if (oneClass > limit / replicates) { // oneClass * replicates > limit, without overflow
      throw new IllegalArgumentException(
          "--samples "
              + engine.samples(modalities)
              + ", --references "
              + engine.references()
              + " and --replicates "
              + replicates
              + " need "
              + (oneClass > Long.MAX_VALUE / replicates
                  ? "over " + Long.MAX_VALUE
                  : Long.toString(oneClass * replicates))
              + " model passes for every record by the "
              + engine.estimatorName()
              + " estimator's formula (one class), over --max-passes-per-point "
              + limit
              + ": lower --samples, --references or --replicates, or raise"
              + " --max-passes-per-point");
    }
  }

  /**
   * How this run's engine is made, here and on every machine of a Spark job: the files by absolute
   * path, the settings, and the run's provenance entries.
   */
  private EngineRecipe recipe(PluginRegistry registry, JobInputs in, Targets targets)
      throws IOException {
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("manifestSha256", Versions.sha256(data));
    provenance.put("pipelineSha256", Versions.sha256(pipeline));
    provenance.put("plugins", pluginVersions(registry));
    provenance.put("poolSelection", in.pool().selection());
    provenance.put("poolInputsSha256", in.poolInputsSha256());
    provenance.put("targets", targets.toString());
    if (pool != null && !pool.equals(data)) {
      provenance.put("poolManifestSha256", Versions.sha256(pool));
    }
    return new EngineRecipe(
        plugins.dirs.stream().map(d -> d.toAbsolutePath().toString()).toList(),
        pipeline.toAbsolutePath().toString(),
        spark == null ? model : EngineRecipe.modelSpec(model),
        models.settings(),
        models.concurrency,
        engine.settings(),
        engine.limits(),
        batchSize,
        dataRoot == null ? null : dataRoot.toAbsolutePath().normalize().toString(),
        allowOutsidePaths,
        provenance);
  }

  /** dime-spark's explainer, or what to do when the distribution was built without it. */
  private static RemoteExplainerProvider sparkPart() {
    try {
      return RemoteExplainerProvider.find("spark", ExplainCommand.class.getClassLoader());
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(
          "--spark needs DIME's Spark part (dime-spark and Spark's jars), which is not on the"
              + " class path: run the launcher (./dime explain --spark ...), which builds it with"
              + " the Maven profile -Pspark into dist/target/spark-lib and adds it, or build it"
              + " yourself with ./mvnw package -Pspark -pl dist -am; on a cluster, submit"
              + " io.dime.spark.SparkExplain with spark-submit ("
              + e.getMessage()
              + ")");
    }
  }

  /** The plugins found, by name, with their versions. */
  private static Map<String, String> pluginVersions(PluginRegistry registry) {
    Map<String, String> versions = new TreeMap<>();
    for (DimePlugin p : registry.plugins()) {
      versions.put(p.name(), p.version());
    }
    return versions;
  }

  /** This run's inputs, for {@code job.json}. */
  JobFile jobFile() {
    return JobFile.of(
        pipeline, data, pool, poolSize, engine.seed, plugins.dirs, dataRoot, allowOutsidePaths);
  }
}
