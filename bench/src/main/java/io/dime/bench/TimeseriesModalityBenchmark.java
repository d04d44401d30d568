package io.dime.bench;

import io.dime.api.Tensor;
import io.dime.modality.timeseries.Series;
import io.dime.modality.timeseries.TimeseriesModalityFactory;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Microseconds per call of the timeseries modality's featurize, perturb (one random mask, each
 * feature kept with probability 1/2 as LIME draws them) and encode, on a 3-channel series of 1000
 * steps in windows of 50 (60 features), for each perturber.
 */
public class TimeseriesModalityBenchmark extends ModalityMicrobenchmark {
  static final int CHANNELS = 3;
  static final int LENGTH = 1000;
  static final int WINDOW = 50;
  static final int MASKS = 1024;

  @State(Scope.Thread)
  public static class Input {
    @Param({"mean", "interpolate", "baseline"})
    public String perturber;

    Modality<Series> modality;
    Encoder<Series> encoder;
    Series series;
    FeatureSet<Series> features;
    boolean[][] masks;
    int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
      modality =
          (Modality<Series>)
              new TimeseriesModalityFactory()
                  .create(
                      "series",
                      PluginConfig.of(
                          "timeseries benchmark",
                          "window",
                          WINDOW,
                          "perturber",
                          perturber,
                          "length",
                          LENGTH,
                          "channels",
                          CHANNELS,
                          "mean",
                          List.of(0.1, -0.2, 0.3),
                          "std",
                          List.of(1.5, 2.0, 0.5)));
      encoder = modality.encoder();
      SplittableRandom rng = new SplittableRandom(42);
      double[][] data = new double[CHANNELS][LENGTH];
      for (int c = 0; c < CHANNELS; c++) {
        for (int i = 0; i < LENGTH; i++) {
          data[c][i] = Math.sin(i * 0.05 * (c + 1)) + 0.1 * rng.nextGaussian();
        }
      }
      series = Series.of(data);
      features = modality.featurize(series, PoolStatistics.empty(), new SplittableRandom(1));
      masks = new boolean[MASKS][features.size()];
      for (boolean[] mask : masks) {
        for (int f = 0; f < mask.length; f++) {
          mask[f] = rng.nextBoolean();
        }
      }
    }

    boolean[] nextMask() {
      boolean[] m = masks[next];
      next = (next + 1) % MASKS;
      return m;
    }
  }

  /** Windows, names, layout and every feature's hidden values, once per explained series. */
  @Benchmark
  public FeatureSet<Series> featurize(Input s) {
    return s.modality.featurize(s.series, PoolStatistics.empty(), new SplittableRandom(1));
  }

  /** One perturbation sample: the series with a random half of its 60 windows hidden. */
  @Benchmark
  public Series perturb(Input s) {
    return s.features.apply(s.nextMask());
  }

  /** One row's FLOAT32 [3, 1000] tensor, normalised per channel. */
  @Benchmark
  public List<Tensor> encode(Input s) {
    return s.encoder.encode(s.series);
  }
}
