package io.dime.reproduce;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * "DimeSynth": the deterministic synthetic multimodal tasks the DIME demo models were trained on.
 *
 * <p>This class is the Java twin of {@code dime-reproduce/src/main/python/dime_synth.py}; both
 * produce bit-identical doubles, so Java code can score the committed ONNX demo models ({@code
 * io/dime/demo/models/synthetic*_mlp.onnx}) on exactly the split they were evaluated on.
 *
 * <h2>Random numbers</h2>
 *
 * <p>SplitMix64 over an unsigned 64-bit state initialised to the task seed (all arithmetic mod
 * 2<sup>64</sup>):
 *
 * <pre>
 * next():     state += 0x9E3779B97F4A7C15; z = state;
 *             z = (z ^ (z &gt;&gt;&gt; 30)) * 0xBF58476D1CE4E5B9;
 *             z = (z ^ (z &gt;&gt;&gt; 27)) * 0x94D049BB133111EB;
 *             return z ^ (z &gt;&gt;&gt; 31)
 * uniform():  (next() &gt;&gt;&gt; 11) * 2^-53                          in [0, 1)
 * gaussian(): u1 = 1.0 - uniform(); u2 = uniform();
 *             return sqrt(-2.0 * log(u1)) * cos((2.0 * PI) * u2)
 * </pre>
 *
 * <p>One gaussian consumes exactly two uniforms (the sine part is never cached). {@code log} and
 * {@code cos} are {@link StrictMath#log} and {@link StrictMath#cos} (fdlibm 5.3, the same on every
 * JVM; the Python side re-implements exactly these algorithms), not {@link Math#log} / {@link
 * Math#cos}, which may differ in the last bit between platforms and JIT tiers. {@code sqrt} is the
 * correctly rounded {@link Math#sqrt}.
 *
 * <h2>Tasks</h2>
 *
 * <p>A point of task kM has M modalities d1..dM of {@value #DIM} gaussians each, drawn in that
 * order (d1[0..9], then d2[0..9], ...). The target y is accumulated strictly left to right in
 * double precision, starting from 0.0, each term element by element in index order 0..9, the terms
 * in the order written below; the triple product term is {@code (d1[i] * d2[i]) * d3[i]}.
 *
 * <ul>
 *   <li>{@link Task#K2} (classification, seed 2022): y = sum(d1) + sum(d2) + dot(d1, d2).
 *       Candidates with |y| &lt; {@value #K2_THRESHOLD} are discarded (their draws are consumed);
 *       label = 1 if y &gt; 0 else 0. 100,000 points are kept: train = [0, 80000), valid = [80000,
 *       90000), test = [90000, 100000), in generation order.
 *   <li>{@link Task#K3} (regression, seed 2023): y = sum(d1) + sum(d2) + sum(d3) + dot(d1, d2) +
 *       dot(d2, d3) + sum(d1 * d2 * d3). No discards. 300,000 points: train = [0, 280000), valid =
 *       [280000, 290000), test = [290000, 300000).
 *   <li>{@link Task#K4} (regression, seed 2024): y = sum(d1) + sum(d2) + sum(d3) + sum(d4) +
 *       dot(d1, d2) + dot(d2, d3) + sum(d1 * d2 * d3) + dot(d3, d4). Same sizes and split as K3.
 * </ul>
 *
 * <p>For the regression tasks the label is also set (1 if y &gt; 0 else 0) but is informational
 * only. Split sizes and offsets are available from {@link Task} and {@link #size(Task, Split)} /
 * {@link #offset(Task, Split)}.
 */
public final class SyntheticTasks {

  /** Number of gaussians per modality. */
  public static final int DIM = 10;

  /** K2 discards candidates whose |y| is below this threshold. */
  public static final double K2_THRESHOLD = 0.01;

  private static final double TWO_PI = 2.0 * Math.PI;

  private SyntheticTasks() {}

  /** The synthetic tasks, with their seeds and split sizes. */
  public enum Task {
    /** Two modalities, binary classification with discards near y = 0. */
    K2("k2", 2022L, 2, 80_000, 10_000, 10_000, true),
    /** Three modalities, regression. */
    K3("k3", 2023L, 3, 280_000, 10_000, 10_000, false),
    /** Four modalities, regression. */
    K4("k4", 2024L, 4, 280_000, 10_000, 10_000, false);

    private final String id;
    private final long seed;
    private final int modalities;
    private final int trainSize;
    private final int validSize;
    private final int testSize;
    private final boolean classification;

    Task(
        String id,
        long seed,
        int modalities,
        int trainSize,
        int validSize,
        int testSize,
        boolean classification) {
      this.id = id;
      this.seed = seed;
      this.modalities = modalities;
      this.trainSize = trainSize;
      this.validSize = validSize;
      this.testSize = testSize;
      this.classification = classification;
    }

    /** The lower-case name used by the Python scripts ("k2", "k3", "k4"). */
    public String id() {
      return id;
    }

    /** The SplitMix64 seed. */
    public long seed() {
      return seed;
    }

    /** Number of modalities d1..dM. */
    public int modalities() {
      return modalities;
    }

    /** Number of training points (the first ones generated). */
    public int trainSize() {
      return trainSize;
    }

    /** Number of validation points (right after the training points). */
    public int validSize() {
      return validSize;
    }

    /** Number of test points (the last ones). */
    public int testSize() {
      return testSize;
    }

    /** Total number of (kept) points: train + valid + test. */
    public int totalSize() {
      return trainSize + validSize + testSize;
    }

    /** Whether the label (rather than y) is the model's target. */
    public boolean isClassification() {
      return classification;
    }

    /** Gaussians consumed by one candidate point. */
    int gaussiansPerPoint() {
      return modalities * DIM;
    }

    /** The task named {@code name} ("k2", "K3", ...). */
    public static Task of(String name) {
      Objects.requireNonNull(name, "task name is null");
      for (Task t : values()) {
        if (t.id.equalsIgnoreCase(name.trim())) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "unknown synthetic task '" + name + "'; expected one of k2, k3, k4");
    }
  }

  /** The three consecutive splits, in generation order. */
  public enum Split {
    TRAIN,
    VALID,
    TEST;

    /** The split named {@code name} ("train", "valid"/"validation", "test"). */
    public static Split of(String name) {
      Objects.requireNonNull(name, "split name is null");
      switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "train":
          return TRAIN;
        case "valid":
        case "validation":
          return VALID;
        case "test":
          return TEST;
        default:
          throw new IllegalArgumentException(
              "unknown split '" + name + "'; expected train, valid or test");
      }
    }
  }

  /**
   * One generated point.
   *
   * @param parts the modalities d1..dM, each of length {@value #DIM} (not copied: do not modify)
   * @param y the exact target
   * @param label 1 if y &gt; 0, else 0
   */
  public record SyntheticPoint(double[][] parts, double y, int label) {
    public SyntheticPoint {
      Objects.requireNonNull(parts, "parts is null");
    }

    /** Number of modalities. */
    public int modalities() {
      return parts.length;
    }

    /** A copy of modality {@code m} (0-based: 0 is d1). */
    public double[] part(int m) {
      return parts[m].clone();
    }

    /** d1..dM concatenated, as the trained MLPs see them. */
    public double[] concatenated() {
      double[] out = new double[parts.length * DIM];
      for (int m = 0; m < parts.length; m++) {
        System.arraycopy(parts[m], 0, out, m * DIM, DIM);
      }
      return out;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SyntheticPoint p
          && Double.compare(y, p.y) == 0
          && label == p.label
          && Arrays.deepEquals(parts, p.parts);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * Arrays.deepHashCode(parts) + Double.hashCode(y)) + label;
    }

    @Override
    public String toString() {
      return "SyntheticPoint[parts="
          + Arrays.deepToString(parts)
          + ", y="
          + y
          + ", label="
          + label
          + "]";
    }
  }

  /** The SplitMix64 generator with the uniform and gaussian draws of the spec. */
  public static final class SplitMix64 {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    /** A generator whose state is {@code seed}. */
    public SplitMix64(long seed) {
      this.state = seed;
    }

    /** The next 64-bit output. */
    public long nextLong() {
      state += GAMMA;
      long z = state;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    /** A uniform double in [0, 1): the top 53 bits of {@link #nextLong()} times 2^-53. */
    public double nextUniform() {
      return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A standard normal draw (Box-Muller, cosine branch only; consumes two uniforms). */
    public double nextGaussian() {
      double u1 = 1.0 - nextUniform();
      double u2 = nextUniform();
      return Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(TWO_PI * u2);
    }

    /** Skips {@code n} outputs of {@link #nextLong()} in constant time. */
    public void skip(long n) {
      state += n * GAMMA;
    }
  }

  /** Number of points in {@code split} of {@code task}. */
  public static int size(Task task, Split split) {
    return switch (split) {
      case TRAIN -> task.trainSize();
      case VALID -> task.validSize();
      case TEST -> task.testSize();
    };
  }

  /** Index (in generation order, among kept points) of the first point of {@code split}. */
  public static int offset(Task task, Split split) {
    return switch (split) {
      case TRAIN -> 0;
      case VALID -> task.trainSize();
      case TEST -> task.trainSize() + task.validSize();
    };
  }

  /** {@link #split(Task, Split)} by names, e.g. {@code split("k2", "test")}. */
  public static List<SyntheticPoint> split(String task, String split) {
    return split(Task.of(task), Split.of(split));
  }

  /** The points of one split, in generation order (an unmodifiable list). */
  public static List<SyntheticPoint> split(Task task, Split split) {
    return range(task, offset(task, split), size(task, split));
  }

  /** The first {@code count} kept points of {@code task}, e.g. {@code generate("k3", 5)}. */
  public static List<SyntheticPoint> generate(String task, int count) {
    return range(Task.of(task), 0, count);
  }

  /** The first {@code count} kept points of {@code task} (an unmodifiable list). */
  public static List<SyntheticPoint> generate(Task task, int count) {
    return range(task, 0, count);
  }

  /**
   * Kept points {@code from} .. {@code from + count - 1} of {@code task}, in generation order (an
   * unmodifiable list). Indices may run past {@link Task#totalSize()}: the stream is infinite, the
   * splits only use its beginning. For K3 and K4 (no discards) the skipped points cost nothing.
   */
  public static List<SyntheticPoint> range(Task task, int from, int count) {
    Objects.requireNonNull(task, "task is null");
    if (from < 0 || count < 0) {
      throw new IllegalArgumentException("from and count must be >= 0: " + from + ", " + count);
    }
    SplitMix64 rng = new SplitMix64(task.seed());
    int m = task.modalities();
    List<SyntheticPoint> out = new ArrayList<>(count);
    if (task == Task.K2) {
      int kept = 0;
      while (out.size() < count) {
        double[][] parts = draw(rng, m);
        double y = target(task, parts);
        if (Math.abs(y) < K2_THRESHOLD) {
          continue;
        }
        if (kept++ >= from) {
          out.add(new SyntheticPoint(parts, y, y > 0 ? 1 : 0));
        }
      }
    } else {
      // no discards: each point consumes exactly 2 * M * DIM outputs of the generator
      rng.skip((long) from * 2L * task.gaussiansPerPoint());
      for (int i = 0; i < count; i++) {
        double[][] parts = draw(rng, m);
        double y = target(task, parts);
        out.add(new SyntheticPoint(parts, y, y > 0 ? 1 : 0));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Number of K2 candidates discarded (|y| &lt; {@value #K2_THRESHOLD}) before the first {@code
   * kept} points were kept.
   */
  public static int k2Discards(int kept) {
    SplitMix64 rng = new SplitMix64(Task.K2.seed());
    int n = 0;
    int discarded = 0;
    while (n < kept) {
      double y = target(Task.K2, draw(rng, 2));
      if (Math.abs(y) < K2_THRESHOLD) {
        discarded++;
      } else {
        n++;
      }
    }
    return discarded;
  }

  /**
   * The exact target y of {@code task} for modalities {@code parts} (each of length {@value #DIM}),
   * summed in the order of the spec.
   */
  public static double target(Task task, double[][] parts) {
    Objects.requireNonNull(task, "task is null");
    if (parts.length != task.modalities()) {
      throw new IllegalArgumentException(
          task.id() + " needs " + task.modalities() + " modalities, got " + parts.length);
    }
    for (double[] p : parts) {
      if (p.length != DIM) {
        throw new IllegalArgumentException("each modality needs " + DIM + " values");
      }
    }
    double acc = 0.0;
    for (double[] p : parts) {
      acc = addSum(acc, p);
    }
    double[] d1 = parts[0];
    double[] d2 = parts[1];
    acc = addDot(acc, d1, d2);
    if (task == Task.K2) {
      return acc;
    }
    double[] d3 = parts[2];
    acc = addDot(acc, d2, d3);
    for (int i = 0; i < DIM; i++) {
      acc += (d1[i] * d2[i]) * d3[i];
    }
    if (task == Task.K3) {
      return acc;
    }
    return addDot(acc, d3, parts[3]);
  }

  private static double[][] draw(SplitMix64 rng, int modalities) {
    double[][] parts = new double[modalities][DIM];
    for (double[] p : parts) {
      for (int i = 0; i < DIM; i++) {
        p[i] = rng.nextGaussian();
      }
    }
    return parts;
  }

  private static double addSum(double acc, double[] a) {
    for (double v : a) {
      acc += v;
    }
    return acc;
  }

  private static double addDot(double acc, double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      acc += a[i] * b[i];
    }
    return acc;
  }
}
