package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import io.dime.api.Datapoint;
import io.dime.api.run.SourceRecord;
import io.dime.spi.Modality;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chosen reference pool as the manifest lines it was read from, so that another machine reads the
 * same datapoints in the same order: each line with its number, and the manifest's folder, against
 * which relative paths in the lines resolve there as they did here.
 *
 * @param base the pool manifest's folder, absolute
 * @param numbers each line's 1-based number in the manifest, in pool order
 * @param lines the lines, in pool order
 */
public record PoolLines(String base, List<Integer> numbers, List<String> lines) {
  public PoolLines {
    requireNonNull(base, "base is null");
    numbers = List.copyOf(numbers);
    lines = List.copyOf(lines);
    if (numbers.size() != lines.size()) {
      throw new IllegalArgumentException("numbers and lines differ in length");
    }
  }

  /**
   * The lines of a pool chosen from a manifest's records.
   *
   * @param manifest the pool manifest
   * @param records its records, as read
   * @param points the pool's datapoints, in the order the engine uses them (chosen from {@code
   *     records})
   * @throws UncheckedIOException when the manifest cannot be read again
   */
  public static PoolLines of(Path manifest, List<SourceRecord> records, List<Datapoint> points) {
    Map<String, Integer> lineById = new HashMap<>();
    for (SourceRecord r : records) {
      r.datapoint().ifPresent(dp -> lineById.putIfAbsent(dp.id(), r.line()));
    }
    Map<Integer, String> all =
        JsonlManifest.lines(manifest, new java.util.HashSet<>(lineById.values()));
    List<Integer> numbers = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (Datapoint dp : points) {
      Integer n = lineById.get(dp.id());
      if (n == null || !all.containsKey(n)) {
        throw new IllegalArgumentException(
            "pool datapoint '" + dp.id() + "' is not a record of " + manifest);
      }
      numbers.add(n);
      lines.add(all.get(n));
    }
    return new PoolLines(manifest.toAbsolutePath().getParent().toString(), numbers, lines);
  }

  /**
   * The pool's datapoints, read with the pipeline's modalities.
   *
   * @param dataRoot the folder every file the lines name must lie under; null for the pool
   *     manifest's folder
   * @param allowOutside whether files outside the data root may be read
   * @throws IllegalStateException naming the first line that cannot be read here
   */
  public List<Datapoint> read(List<Modality<?>> modalities, Path dataRoot, boolean allowOutside) {
    Path dir = Path.of(base);
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      SourceRecord r =
          JsonlManifest.readLine(
              numbers.get(i), lines.get(i), dir, dataRoot, allowOutside, modalities);
      if (!r.readable()) {
        throw new IllegalStateException(
            "pool record at line "
                + numbers.get(i)
                + " cannot be read on this machine: "
                + r.error().get().message());
      }
      out.add(r.datapoint().get());
    }
    return out;
  }
}
