package io.dime.modality.timeseries;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import io.dime.spi.Narrowing;
import java.util.List;

/**
 * Encodes a series into one FLOAT32 tensor, each value normalised as {@code (x - mean[c]) /
 * std[c]}: [channels, length] for layout {@code nct}, [length, channels] (time-major) for {@code
 * ntc}, [length] for {@code nt}. A series of another shape than the settings fix is an input error,
 * and so is a value beyond FLOAT32's range once normalised (or not finite at all).
 */
final class TimeseriesEncoder implements Encoder<Series> {
  private final String modality;
  private final TimeseriesSettings settings;

  TimeseriesEncoder(String modality, TimeseriesSettings settings) {
    this.modality = modality;
    this.settings = settings;
  }

  @Override
  public List<TensorSpec> outputs() {
    long c = settings.channels > 0 ? settings.channels : -1;
    long n = settings.length > 0 ? settings.length : -1;
    return List.of(new TensorSpec(settings.input, ElementType.FLOAT32, shape(c, n)));
  }

  /** The tensor's shape in the setting's layout. */
  private long[] shape(long channels, long length) {
    return switch (settings.layout) {
      case "ntc" -> new long[] {length, channels};
      case "nt" -> new long[] {length};
      default -> new long[] {channels, length};
    };
  }

  @Override
  public List<Tensor> encode(Series value) {
    requireNonNull(value, "value is null");
    String problem = settings.shapeProblem(modality, value);
    if (problem != null) {
      throw new InputException(null, problem);
    }
    double[] mean = settings.mean;
    double[] std = settings.std;
    int c = value.channels();
    int n = value.length();
    double[] x = value.values();
    float[] f = new float[x.length];
    boolean timeMajor = settings.layout.equals("ntc");
    for (int k = 0; k < c; k++) {
      double m = mean.length == 1 ? mean[0] : mean[k];
      double s = std.length == 1 ? std[0] : std[k];
      int off = k * n;
      for (int i = 0; i < n; i++) {
        double d = (x[off + i] - m) / s;
        float v = (float) d;
        if (!Float.isFinite(v)) {
          throw unfit(x[off + i], d, k, i);
        }
        f[timeMajor ? i * c + k : off + i] = v;
      }
    }
    return List.of(Tensor.ofFloats(settings.input, shape(c, n), f));
  }

  /**
   * The failure of a finite value that is beyond FLOAT32's range once normalised (1e39, or 1e300
   * with a small std): fed as an infinity, the model would answer NaN.
   */
  private InputException unfit(double x, double normalised, int channel, int step) {
    String value =
        x
            + " (channel "
            + channel
            + ", step "
            + step
            + (normalised != x ? ", normalised " + normalised : "")
            + ")";
    return Narrowing.float32Unfit(value, settings.input);
  }
}
