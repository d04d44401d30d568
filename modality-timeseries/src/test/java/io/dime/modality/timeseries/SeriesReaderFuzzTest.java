package io.dime.modality.timeseries;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dime.api.InputException;
import io.dime.core.io.Json;
import io.dime.spi.PluginConfig;
import io.dime.spi.ReadContext;
import io.dime.testkit.fuzz.Fuzz;
import io.dime.testkit.fuzz.Mutator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing the series reader: a mutated CSV file, or a mutated JSON array, is read into a series of
 * finite values with at least one channel and one step, or refused with an {@link InputException}
 * naming the record and the modality (and, for a file, the file as the manifest gave it, never the
 * absolute data folder); never another exception, a hang or a blow-up.
 *
 * <p>CI runs 500 CSV files + 3000 JSON texts (about 6 s on 2 cores). A long run: {@code ./mvnw -o
 * -B install -Djacoco.skip -pl modality-timeseries -am -Dtest=SeriesReaderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddime.fuzz.scale=100 -Ddime.fuzz.maxSeconds=1800} (add
 * {@code -Ddime.fuzz.seed=random} for new inputs).
 */
@Tag("fuzz")
class SeriesReaderFuzzTest {
  private static final TimeseriesModality MODALITY =
      new TimeseriesModality("s", PluginConfig.of("modality 's'", "maxValues", 100_000));

  static List<byte[]> csvs() {
    return Mutator.utf8(
        "time,temp,\"pres, kPa\"\n0,1.5,-3e2\n1,2.5,7\n2,.5,1E-3\n3,4.,0\n",
        "\uFEFF1,2\r\n3,4\r\n5,6\r\n\r\n",
        "a\n0.25\n-0.5\n1e10\n",
        "\"x\"\"y\",z\n1,2\n");
  }

  static List<byte[]> jsons() {
    return Mutator.utf8(
        "[1, 2.5, -3e2, 0.001, 7]",
        "[[1, 2, 3], [4.5, 5, 6], [-1, 0, 1e-300]]",
        "[[0.5], [1]]",
        "[1e308, -1e308, 4.9e-324]");
  }

  private static final List<byte[]> CSV_TOKENS =
      Mutator.join(
          Mutator.TEXT_TOKENS,
          Mutator.utf8(
              ",,",
              "\"",
              "\"\"",
              "\",\"",
              "nan",
              "-inf",
              "Infinity",
              "+NaN",
              "1e",
              "e5",
              "1.2.3",
              "0x1p3",
              "1_000",
              "\u00a0",
              "\u0661",
              "\uff11"));

  private static void checkSeries(Series s) {
    if (s.channels() < 1 || s.length() < 1) {
      throw new AssertionError("series: " + s.channels() + " x " + s.length());
    }
    for (int c = 0; c < s.channels(); c++) {
      for (int i = 0; i < s.length(); i++) {
        if (!Double.isFinite(s.get(c, i))) {
          throw new AssertionError("value: " + s.get(c, i) + " at " + c + ", " + i);
        }
      }
    }
  }

  @Test
  void mutatedCsvFilesAreReadOrRefusedNamingTheRecord(@TempDir Path dir) {
    Path file = dir.resolve("s.csv");
    String absolute = dir.toAbsolutePath().toString();
    Fuzz.of("series-csv", new Mutator(csvs(), CSV_TOKENS))
        .tries(500)
        .timeout(Duration.ofSeconds(10))
        .maxAllocatedBytes(256L << 20)
        .run(
            input -> {
              Files.write(file, input);
              try {
                checkSeries(MODALITY.read("s.csv", new ReadContext(dir, "r")));
                return "read";
              } catch (InputException e) {
                String label = Fuzz.checkMessage(e, "record 'r': ", "modality 's'");
                if (e.getMessage().contains(absolute)) {
                  throw new AssertionError("path: " + e.getMessage(), e);
                }
                return label;
              }
            });
  }

  @Test
  void mutatedJsonArraysAreReadOrRefusedNamingTheRecord(@TempDir Path dir) {
    Fuzz.of("series-json", new Mutator(jsons(), Mutator.TEXT_TOKENS))
        .tries(3000)
        .timeout(Duration.ofSeconds(10))
        .maxAllocatedBytes(256L << 20)
        .run(
            input -> {
              Object field;
              try {
                // as the manifest gives it: the JSON value as plain Java objects
                field =
                    Json.mapper()
                        .treeToValue(
                            Json.mapper().readTree(new String(input, StandardCharsets.UTF_8)),
                            Object.class);
              } catch (JsonProcessingException e) {
                return "not JSON";
              }
              try {
                checkSeries(MODALITY.read(field, new ReadContext(dir, "r")));
                return "read";
              } catch (InputException e) {
                return Fuzz.checkMessage(e, "record 'r': ", "modality 's'");
              }
            });
  }

  /** The seeds are read. */
  @Test
  void theSeedsAreRead(@TempDir Path dir) throws Exception {
    for (byte[] b : csvs()) {
      Files.write(dir.resolve("s.csv"), b);
      checkSeries(MODALITY.read("s.csv", new ReadContext(dir, "r")));
    }
    for (byte[] b : jsons()) {
      Object field = Json.mapper().readValue(b, Object.class);
      checkSeries(MODALITY.read(field, new ReadContext(dir, "r")));
    }
  }
}
