package io.dime.core.infer;

/**
 * What a model's raw outputs say of their own rounding: the largest magnitude seen and whether
 * every value was a float32 value (as an ONNX model's float outputs are). Not thread-safe: one
 * runner's deliveries, one thread at a time.
 */
final class OutputRounding {
  /** Ulps of rounding that a target (a sum and a mean of a few outputs) is allowed. */
  static final double ULPS = 64;

  private double max;
  private boolean float32 = true;

  /** Notes the largest magnitude of these raw outputs and whether each is a float32 value. */
  void observe(double[] raw) {
    double m = max;
    boolean single = float32;
    for (double v : raw) {
      double a = Math.abs(v);
      if (a > m) {
        m = a; // NaN is never larger: the transform refuses it
      }
      single &= (float) v == v;
    }
    max = m;
    float32 = single;
  }

  /**
   * The size below which differences between explained scores are rounding: {@value #ULPS} ulps
   * (float32's, 2^-23, when every output was a float32 value; double's, 2^-52, otherwise) of the
   * largest raw output, or of 1 for log-probabilities (whose rounding is the probabilities'
   * relative rounding).
   */
  double level(boolean log) {
    double ulp = float32 ? 0x1p-23 : 0x1p-52;
    return ULPS * ulp * (log ? Math.max(1, max) : max);
  }
}
