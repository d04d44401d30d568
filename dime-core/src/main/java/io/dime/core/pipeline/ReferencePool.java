package io.dime.core.pipeline;

import static java.util.Objects.requireNonNull;

import io.dime.api.Datapoint;
import io.dime.api.RecordError;
import io.dime.api.run.SourceRecord;
import io.dime.core.PoolEncodings;
import io.dime.spi.Modality;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * The reference pool a job uses, read from a manifest's records: records that cannot be read, and
 * records whose encodings have other shapes than the rest of the pool's (they would fail every
 * batch they join), are left out with a warning naming each; a pool size takes a seeded random
 * subset.
 *
 * @param points the pool's datapoints, in the order the engine uses them
 * @param skipped pool records left out
 * @param warnings one line per record left out, naming it, its line and the problem
 * @param selection how the datapoints were chosen, for provenance
 */
public record ReferencePool(
    List<Datapoint> points, int skipped, List<String> warnings, String selection) {
  public ReferencePool {
    points = List.copyOf(points);
    warnings = List.copyOf(warnings);
    requireNonNull(selection, "selection is null");
  }

  /**
   * Chooses the pool.
   *
   * @param records the pool manifest's records
   * @param fileName the pool manifest's name, for the warnings
   * @param separate whether the pool is its own file (else its unreadable records are the data's,
   *     which report their own errors)
   * @param modalities the pipeline's modalities
   * @param size how many to keep after a shuffle seeded with {@code seed}; null for all
   * @param seed the run's seed
   * @return the pool; without points when no record is usable
   */
  public static ReferencePool choose(
      List<SourceRecord> records,
      String fileName,
      boolean separate,
      List<Modality<?>> modalities,
      Integer size,
      long seed) {
    List<Datapoint> readable = new ArrayList<>();
    records.forEach(r -> r.datapoint().ifPresent(readable::add));
    return choose(
        records,
        PoolEncodings.problems(modalities, readable),
        UnaryOperator.identity(),
        fileName,
        separate,
        size,
        seed);
  }

  /**
   * Chooses the pool from records that may be held without their values ({@link
   * io.dime.core.job.RereadableSource#light}): the same choice as {@link #choose(List, String,
   * boolean, List, Integer, long)} makes from the records with their values.
   *
   * @param records the pool manifest's records
   * @param problems the problem of each readable record, in order, null where there is none ({@link
   *     PoolEncodings.Tally}, fed as the records were read)
   * @param reread a chosen record with its values (read again); an unreadable record when it can no
   *     longer be read, which leaves it out with a warning
   * @param fileName the pool manifest's name, for the warnings
   * @param separate whether the pool is its own file
   * @param size how many to keep after a shuffle seeded with {@code seed}; null for all
   * @param seed the run's seed
   * @return the pool; without points when no record is usable
   */
  public static ReferencePool choose(
      List<SourceRecord> records,
      List<String> problems,
      UnaryOperator<SourceRecord> reread,
      String fileName,
      boolean separate,
      Integer size,
      long seed) {
    List<String> warnings = new ArrayList<>();
    List<SourceRecord> readable = new ArrayList<>();
    for (SourceRecord r : records) {
      if (r.readable()) {
        readable.add(r);
      } else if (separate) {
        RecordError e = r.error().get();
        warnings.add(warning(r, fileName, e.message()));
      }
    }
    if (problems.size() != readable.size()) {
      throw new IllegalArgumentException(
          problems.size() + " problems for " + readable.size() + " readable records");
    }
    List<SourceRecord> ok = new ArrayList<>();
    for (int i = 0; i < readable.size(); i++) {
      SourceRecord r = readable.get(i);
      if (problems.get(i) == null) {
        ok.add(r);
      } else {
        warnings.add(warning(r, fileName, problems.get(i)));
      }
    }
    int skipped = records.size() - ok.size();
    String selection = "all readable records in file order";
    if (size != null && size < ok.size()) {
      SplittableRandom rng = new SplittableRandom(seed);
      for (int i = ok.size() - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        SourceRecord t = ok.get(i);
        ok.set(i, ok.get(j));
        ok.set(j, t);
      }
      ok = new ArrayList<>(ok.subList(0, size));
      selection = "first " + size + " after a shuffle with seed " + seed;
    }
    List<Datapoint> points = new ArrayList<>();
    for (SourceRecord r : ok) {
      SourceRecord full = reread.apply(r);
      if (full.readable()) {
        points.add(full.datapoint().get());
      } else {
        warnings.add(warning(r, fileName, full.error().get().message()));
        skipped++;
      }
    }
    return new ReferencePool(points, skipped, warnings, selection);
  }

  private static String warning(SourceRecord r, String fileName, String problem) {
    String id = r.id().orElse(null);
    String prefix = id == null ? null : "record '" + id + "': ";
    return "record "
        + (id == null ? "" : "'" + id + "' ")
        + "(line "
        + r.line()
        + " of "
        + fileName
        + "): "
        + (prefix != null && problem.startsWith(prefix)
            ? problem.substring(prefix.length())
            : problem);
  }
}
