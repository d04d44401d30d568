package io.dime.modality.timeseries;

import static java.util.Objects.requireNonNull;

import io.dime.api.InputException;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.ReadContext;
import io.dime.spi.SamplingHints;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The {@code timeseries} modality: a {@link Series} of one or more channels, split into fixed
 * windows per channel (or whole channels), hidden by the window's mean, by linear interpolation
 * across the window, or by a baseline value, and encoded as one FLOAT32 tensor ([channels, length],
 * [length, channels] or [length]: setting {@code layout}).
 *
 * <p>Settings:
 *
 * <ul>
 *   <li>{@code features}: {@code "windows"} (default) or {@code "channels"} (each whole channel is
 *       one feature).
 *   <li>{@code window}: window length in time steps for {@code "windows"}; default the series
 *       length / 10 rounded up (at least 1). Windows start at 0 and tile each channel; the last one
 *       may be shorter (under {@code "mean"}, a last window of one step, its own mean, joins the
 *       one before it). Feature names are {@code c0[0:10)}, or use the channel names of a CSV
 *       header ({@code temp[0:10)}).
 *   <li>{@code perturber}: {@code "interpolate"} (the default for windows: the straight line
 *       between the original values just before and just after the window; at a series edge, the
 *       one neighbour there is, repeated; with no neighbour, the window's mean), {@code "baseline"}
 *       (the default for channels), {@code "mean"} (a hidden feature takes its own mean: it keeps
 *       the feature's level, so a model that reads averages sees nothing hidden), or {@code
 *       "reference"} (the values of one pool series of the same shape at the same time steps, the
 *       series drawn for each datapoint from its seed, never the explained series itself). Each
 *       hidden feature's values depend on the original series (or the drawn reference) only, never
 *       on which other features are hidden. A series that {@code "mean"} or {@code "interpolate"}
 *       cannot change at all (a single step, windows of one step under {@code "mean"}, a constant
 *       series) is an input error for its record, since every weight would be 0; {@code "mean"}
 *       with {@code window} 1 is refused.
 *   <li>{@code baseline}: the value of hidden points for perturber {@code "baseline"}; default 0,
 *       in the series' own units (the encoder's {@code mean} and {@code std} apply to it as to the
 *       data, and the normalised value must be within FLOAT32's range).
 *   <li>{@code input}: the model input the encoder fills; default the modality's name.
 *   <li>{@code layout}: how the model takes a batch of series: {@code "nct"} (default: [batch,
 *       channels, length], as 1-D convolutions take), {@code "ntc"} ([batch, length, channels],
 *       time-major, as recurrent networks with the batch first and Keras take) or {@code "nt"}
 *       ([batch, length], series of one channel).
 *   <li>{@code length}, {@code channels}: the fixed number of time steps and channels the model
 *       takes (0, the default, for any); other series are rejected as bad input.
 *   <li>{@code mean}, {@code std}: normalisation (x - mean) / std applied by the encoder, each one
 *       number for every channel or a list with one number per channel.
 *   <li>{@code header}: for CSV files, {@code "auto"} (default: the first row is a header when none
 *       of its cells is a number), {@code "true"} or {@code "false"}.
 *   <li>{@code delimiter}: for CSV files, {@code "auto"} (default: of comma, semicolon and tab, the
 *       one each of the first five rows holds equally often, else the most frequent in the first
 *       row), {@code ","}, {@code ";"} or {@code "tab"}; {@code decimal}: {@code "."} (default) or
 *       {@code ","} (with a semicolon or tab delimiter, as spreadsheets write CSV in many locales,
 *       or with a comma delimiter and the values quoted, {@code "1,5",2}, which {@code auto} also
 *       finds; a cell with a {@code .} is then refused, since {@code 1.234} there means 1234).
 *   <li>{@code maxValues}: the most values (channels x length) a series may hold, 10000000 by
 *       default; a larger one is an input error for its record, and a {@code length} and {@code
 *       channels} that fix more are a settings error. Whatever this setting, a CSV file is read up
 *       to 256 MiB (about 10 million values) and a manifest line, with a series written in it, up
 *       to 64 MiB.
 * </ul>
 *
 * <p>The parts: {@link TimeseriesSettings} parses the settings, {@link TimeseriesFeatureSet} splits
 * and hides, {@link TimeseriesEncoder} encodes and {@link SeriesView} draws the view.
 */
public final class TimeseriesModality implements Modality<Series> {
  /** Every setting the modality takes. */
  public static final Set<String> SETTINGS = TimeseriesSettings.KEYS;

  private final String name;
  private final TimeseriesSettings settings;
  private final TimeseriesEncoder encoder;

  /**
   * Creates the modality.
   *
   * @param name the modality's name (the manifest field it reads), not null
   * @param config its settings, not null
   * @throws IllegalArgumentException for an unknown or bad setting, naming it
   */
  public TimeseriesModality(String name, PluginConfig config) {
    this.name = requireNonNull(name, "name is null");
    requireNonNull(config, "config is null");
    this.settings = new TimeseriesSettings(name, config);
    this.encoder = new TimeseriesEncoder(name, settings);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String kind() {
    return TimeseriesModalityFactory.NAME;
  }

  @Override
  public Class<Series> valueType() {
    return Series.class;
  }

  /**
   * Reads a series: a JSON array of numbers (one channel), an array of arrays (one per channel), or
   * a CSV file path relative to the context's base directory.
   */
  @Override
  public Series read(Object field, ReadContext context) {
    requireNonNull(context, "context is null");
    Series s;
    if (field instanceof List<?> list) {
      s = SeriesReader.readJson(list, name, context.recordId());
    } else if (field instanceof String file) {
      s = SeriesReader.readCsv(context, file, settings.csv, name, settings.maxValues);
    } else {
      throw new InputException(
          context.recordId(),
          "modality '"
              + name
              + "' expects an array of numbers, an array of arrays (one per channel) or a CSV file"
              + " path; found "
              + SeriesReader.describe(field));
    }
    return check(s, context.recordId());
  }

  /** Checks the type and, where the settings fix them, the number of channels and time steps. */
  @Override
  public Series check(Object value, String recordId) {
    Series s = Modality.super.check(value, recordId);
    String problem = settings.shapeProblem(name, s);
    if (problem != null) {
      throw new InputException(recordId, problem);
    }
    return s;
  }

  @Override
  public FeatureSet<Series> featurize(Series value, PoolStatistics pool, SplittableRandom rng) {
    requireNonNull(value, "value is null");
    return TimeseriesFeatureSet.of(name, settings, value, pool, rng);
  }

  @Override
  public Encoder<Series> encoder() {
    return encoder;
  }

  /** The series' values, 8 bytes each, and the object around them. */
  @Override
  public long valueBytes(Series value) {
    return 64 + 8L * value.channels() * value.length();
  }

  @Override
  public SamplingHints samplingHints() {
    return SamplingHints.DENSE;
  }

  /**
   * The series with its features as weighted bands (kind {@code "series"}): {@code title}, {@code
   * length}, {@code channels} (per channel its {@code name} and {@code values}), {@code features}
   * (per feature its {@code name}, {@code channel}, window bounds {@code start} inclusive and
   * {@code end} exclusive, {@code weight}, {@code colour} as {@code #RRGGBB} and {@code shaded},
   * false for features outside the top n), {@code palette} ({@code name} and {@code negative},
   * {@code neutral} and {@code positive} colours) and {@code scale} (the largest absolute weight,
   * which takes an end colour).
   *
   * @throws IllegalArgumentException for a weight count that is not the feature count, or an
   *     unknown palette
   */
  @Override
  public View view(FeatureSet<Series> features, double[] weights, ViewOptions options) {
    return SeriesView.render(name, features, weights, options);
  }

  /** Every setting, defaults included. */
  @Override
  public Map<String, Object> provenance() {
    return settings.provenance();
  }
}
