package io.dime.cli;

import io.dime.api.Datapoint;
import io.dime.api.run.RecordSource;
import io.dime.api.run.SourceRecord;
import io.dime.core.DimeBuilder;
import io.dime.core.PoolEncodings;
import io.dime.core.Versions;
import io.dime.core.job.EngineRecipe;
import io.dime.core.job.JsonlManifest;
import io.dime.core.job.PoolLines;
import io.dime.core.job.RereadableSource;
import io.dime.core.pipeline.PipelineFile;
import io.dime.core.pipeline.Pipelines;
import io.dime.core.pipeline.ReferencePool;
import io.dime.core.plugin.PluginRegistry;
import io.dime.spi.Modality;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run reads before its model: the pipeline and its modalities, the manifest's records and
 * the reference pool. {@code dime explain}, its dry run and {@code dime report} read them alike.
 *
 * @param registry the plugins found
 * @param pipe the pipeline file
 * @param modalities its modalities, made by their plugins
 * @param records the manifest's records, in file order
 * @param pool the reference pool
 * @param poolDescription where the pool comes from, for the summary's note
 * @param poolFile the manifest the pool was chosen from (the data file or the pool file)
 * @param poolRecords that manifest's records
 * @param dataManifest reads a record of {@code records} again where they are held without their
 *     values ({@link RereadableSource#light}): when the data file is not the whole pool ({@code
 *     --pool} or {@code --pool-size}), so that a run holds the pool's values and the records in
 *     flight, not every record's; null where they are held with them
 */
record JobInputs(
    PluginRegistry registry,
    PipelineFile pipe,
    List<Modality<?>> modalities,
    List<SourceRecord> records,
    ReferencePool pool,
    String poolDescription,
    Path poolFile,
    List<SourceRecord> poolRecords,
    JsonlManifest dataManifest) {

  /**
   * Where the files a manifest names may lie.
   *
   * @param dataRoot the folder they must lie under; null for each manifest's own folder
   * @param allowOutside whether they may lie anywhere
   */
  record Access(Path dataRoot, boolean allowOutside) {
    /** The default: each manifest's own folder. */
    static final Access DEFAULT = new Access(null, false);
  }

  /**
   * Refuses a manifest path that is not a regular file before anything is opened: a FIFO blocked
   * the command forever at the open, and a device such as /dev/zero was read without end.
   */
  private static void requireManifestFile(String option, String noun, Path file) {
    if (Files.isRegularFile(file)) {
      return;
    }
    throw new IllegalArgumentException(
        Files.isDirectory(file)
            ? option + " " + file + " is a directory; give the JSONL manifest file in it"
            : Files.exists(file)
                ? option
                    + " "
                    + file
                    + " is not a regular file (a pipe or a device): the manifest is read more"
                    + " than once (to check, to explain, to resume); write it to a file"
                : "no " + noun + " file " + file);
  }

  /**
   * A run's pipeline and its modalities: what opening the model needs, read before any record so
   * that a model that does not fit them is said before the manifests are read.
   */
  record Pipeline(PipelineFile pipe, List<Modality<?>> modalities) {}

  /**
   * Reads the pipeline of a run, after the checks of its options that open no file.
   *
   * @param poolFile the pool manifest, or null for the data file
   * @param poolSize the pool subset's size, or null for the whole pool
   * @throws IllegalArgumentException naming the file and the problem
   */
  static Pipeline pipeline(
      PluginRegistry registry, Path pipeline, Path data, Path poolFile, Integer poolSize) {
    if (poolSize != null && poolSize < 1) {
      throw new IllegalArgumentException("--pool-size must be at least 1, found " + poolSize);
    }
    requireManifestFile("--data", "data", data);
    if (poolFile != null) {
      requireManifestFile("--pool", "pool", poolFile);
    }
    PipelineFile pipe = PipelineFile.read(pipeline);
    return new Pipeline(pipe, Pipelines.modalities(registry, pipe, pipeline));
  }

  /**
   * Reads the inputs of a run.
   *
   * @param poolFile the pool manifest, or null for the data file
   * @param poolSize the pool subset's size, or null for the whole pool
   * @throws IllegalArgumentException naming the file and the problem
   */
  static JobInputs read(
      PluginRegistry registry,
      Path pipeline,
      Path data,
      Path poolFile,
      Integer poolSize,
      long seed,
      Access access) {
    return read(
        registry,
        pipeline(registry, pipeline, data, poolFile, poolSize),
        data,
        poolFile,
        poolSize,
        seed,
        access);
  }

  /**
   * Reads the manifests of a run whose pipeline is read.
   *
   * @param poolFile the pool manifest, or null for the data file
   * @param poolSize the pool subset's size, or null for the whole pool
   * @throws IllegalArgumentException naming the file and the problem
   */
  static JobInputs read(
      PluginRegistry registry,
      Pipeline pipeline,
      Path data,
      Path poolFile,
      Integer poolSize,
      long seed,
      Access access) {
    PipelineFile pipe = pipeline.pipe();
    List<Modality<?>> modalities = pipeline.modalities();
    boolean separate = poolFile != null && !poolFile.equals(data);
    // the data file's records are held with their values only where they are the whole pool
    JsonlManifest dataManifest = null;
    PoolEncodings.Tally tally = null;
    List<SourceRecord> records;
    if (separate || poolSize != null) {
      dataManifest = open(data, modalities, access);
      tally = separate ? null : new PoolEncodings.Tally(modalities);
      records = readLight(dataManifest, tally);
    } else {
      records = JsonlManifest.readAll(data, modalities, access.dataRoot(), access.allowOutside());
    }
    if (records.isEmpty()) {
      // nothing to explain is a mistake worth saying before any work (exit 2), not a silent success
      throw new IllegalArgumentException(
          "the data file " + data + " holds no records (it is empty or has only blank lines)");
    }
    Path poolPath = separate ? poolFile : data;
    String poolName = poolPath.getFileName().toString();
    List<SourceRecord> poolRecords;
    ReferencePool pool;
    if (!separate && tally != null) {
      poolRecords = records;
      pool =
          ReferencePool.choose(
              records, tally.problems(), dataManifest::readAgain, poolName, false, poolSize, seed);
    } else if (separate && poolSize != null) {
      // a pool file chosen from: its records' values held only for the chosen ones
      JsonlManifest poolManifest = open(poolFile, modalities, access);
      PoolEncodings.Tally poolTally = new PoolEncodings.Tally(modalities);
      poolRecords = readLight(poolManifest, poolTally);
      pool =
          ReferencePool.choose(
              poolRecords,
              poolTally.problems(),
              poolManifest::readAgain,
              poolName,
              true,
              poolSize,
              seed);
    } else {
      poolRecords =
          separate
              ? JsonlManifest.readAll(
                  poolFile, modalities, access.dataRoot(), access.allowOutside())
              : records;
      pool = ReferencePool.choose(poolRecords, poolName, separate, modalities, poolSize, seed);
    }
    String description = poolFile == null ? "the data file" : poolFile.toString();
    JobInputs in =
        new JobInputs(
            registry,
            pipe,
            modalities,
            records,
            pool,
            description,
            poolPath,
            poolRecords,
            dataManifest);
    if (pool.points().isEmpty()) {
      in.printPoolWarnings(true);
      throw new IllegalArgumentException(
          "the reference pool has no readable records ("
              + (separate ? poolFile : data)
              + ")"
              + (separate ? "" : firstReadError(poolRecords)));
    }
    return in;
  }

  private static JsonlManifest open(Path file, List<Modality<?>> modalities, Access access) {
    try {
      return JsonlManifest.open(file, modalities, access.dataRoot(), access.allowOutside());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + file, e);
    }
  }

  /**
   * A manifest's records, each held without its values ({@link RereadableSource#light}) once it is
   * read (and added to {@code tally}, when given, while it has them); the manifest is closed after
   * (it reads a record again from its place in the file).
   */
  private static List<SourceRecord> readLight(JsonlManifest m, PoolEncodings.Tally tally) {
    List<SourceRecord> out = new ArrayList<>();
    try (m) {
      for (Optional<SourceRecord> r = m.next(); r.isPresent(); r = m.next()) {
        if (tally != null && r.get().readable()) {
          tally.add(r.get().datapoint().get());
        }
        out.add(RereadableSource.light(r.get()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + m.description(), e);
    }
    return out;
  }

  /**
   * The job's source: the records as held here, read again (with their values) from the data file
   * when they are held without them.
   */
  RecordSource source(String description) {
    if (dataManifest == null) {
      return RecordSource.of(description, records);
    }
    return RereadableSource.of(description, records, dataManifest::readAgain);
  }

  /**
   * A record of {@code records} with its values: read again from the data file where it is held
   * without them; an unreadable record when its inputs changed since the run read them.
   */
  SourceRecord withValues(SourceRecord r) {
    return RereadableSource.full(dataManifest, r); // as it is where dataManifest is null
  }

  /**
   * The i-th datapoint of {@link #readable} with its values: read again from the data file where
   * the records are held without them; as held when its inputs changed since the run read them.
   */
  java.util.function.IntFunction<Datapoint> readableWithValues() {
    List<SourceRecord> readable = records.stream().filter(SourceRecord::readable).toList();
    return i -> {
      SourceRecord r = withValues(readable.get(i));
      return (r.readable() ? r : readable.get(i)).datapoint().get();
    };
  }

  /**
   * Why the data file gave the pool nothing, when it is the pool: its records' own error lines are
   * never written, as the run stops here, so the message carries the first (a pipeline that does
   * not fit the data fails every record the same way). Empty when no record failed to read.
   */
  private static String firstReadError(List<SourceRecord> records) {
    List<String> errors = new ArrayList<>();
    records.forEach(r -> r.error().ifPresent(e -> errors.add(e.message())));
    if (errors.isEmpty()) {
      return "";
    }
    int n = errors.size();
    return ": "
        + (n == records.size() && n > 1
            ? "every one of its " + n + " records fails"
            : n + (n == 1 ? " record fails" : " records fail"))
        + " to read; the first: "
        + errors.get(0);
  }

  /**
   * A digest of what the pool's datapoints were read from, in the order the engine uses them: each
   * one's manifest line and the bytes of every file it names ({@link SourceRecord#inputDigest}). A
   * resume compares it, so that explanations made against a pool whose files or values changed
   * since (an edited image of a pool file, or without {@code --pool} an edited record of the data
   * file, which is the pool) are not kept beside explanations made against the new pool.
   */
  String poolInputsSha256() {
    // by id (a manifest's readable records have distinct ids): the pool's datapoints may have been
    // read again from records held without their values
    Map<String, String> digests = new java.util.HashMap<>();
    for (SourceRecord r : poolRecords) {
      r.datapoint().ifPresent(d -> digests.put(d.id(), r.inputDigest().orElse("")));
    }
    StringBuilder all = new StringBuilder();
    for (Datapoint d : pool.points()) {
      all.append(d.id()).append(' ').append(digests.getOrDefault(d.id(), "")).append('\n');
    }
    return Versions.sha256(all.toString());
  }

  /**
   * The readable datapoints of the manifest, in file order; without their values where the records
   * are held without them ({@link #withValues}).
   */
  List<Datapoint> readable() {
    List<Datapoint> out = new ArrayList<>();
    records.forEach(r -> r.datapoint().ifPresent(out::add));
    return out;
  }

  /**
   * Prints the pool's warnings on standard error: the first 10 records left out, then how many
   * more; and, when {@code human} (no --quiet, no JSON log there), the caution for a small pool,
   * which the run's notes also carry.
   */
  void printPoolWarnings(boolean human) {
    String small = io.dime.core.job.ExplanationJob.Builder.smallPool(pool.points().size());
    if (human && small != null) {
      System.err.println("dime: warning: " + small);
    }
    List<String> warnings = pool.warnings();
    for (int i = 0; i < Math.min(10, warnings.size()); i++) {
      System.err.println(
          "dime: warning: left out of the reference pool: " + Terminal.line(warnings.get(i)));
      System.err.flush();
    }
    if (warnings.size() > 10) {
      System.err.println(
          "dime: warning: " + (warnings.size() - 10) + " more records left out of the pool");
    }
  }

  /**
   * Says once on standard error that {@code exact(N)} or {@code paper-faithful(N)} uses the whole
   * pool, which holds fewer than the N references asked for ({@link
   * io.dime.core.job.ReferenceNote}); the run's summary notes it too.
   */
  void printReferenceNote(io.dime.core.pipeline.EngineSettings settings) {
    io.dime.core.job.ReferenceNote.of(
            settings.estimator(), settings.references(), pool.points().size())
        .ifPresent(note -> System.err.println("dime: warning: " + note));
  }

  /**
   * An engine builder with everything but the model and the estimator, as the recipe (made from the
   * engine and model options) sets it.
   */
  DimeBuilder base(EngineRecipe recipe) {
    return recipe.base(registry, pipe, modalities, pool.points());
  }

  /** The pool as the manifest lines it was read from, for engines made on other machines. */
  PoolLines poolLines() {
    return PoolLines.of(poolFile, poolRecords, pool.points());
  }
}
