package io.dime.modality.timeseries;

import static java.util.Objects.requireNonNull;

import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.Encoder;
import java.util.List;

/**
 * Encodes a series into one FLOAT32 tensor [channels, length], each value normalised as {@code (x -
 * mean[c]) / std[c]}. A series of another shape than the settings fix is an input error.
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
    return List.of(
        new TensorSpec(
            settings.input,
            ElementType.FLOAT32,
            new long[] {
              settings.channels > 0 ? settings.channels : -1,
              settings.length > 0 ? settings.length : -1
            }));
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
    for (int k = 0; k < c; k++) {
      double m = mean.length == 1 ? mean[0] : mean[k];
      double s = std.length == 1 ? std[0] : std[k];
      int off = k * n;
      for (int i = 0; i < n; i++) {
        f[off + i] = (float) ((x[off + i] - m) / s);
      }
    }
    return List.of(Tensor.ofFloats(settings.input, new long[] {c, n}, f));
  }
}
