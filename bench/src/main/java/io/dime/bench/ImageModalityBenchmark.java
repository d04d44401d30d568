package io.dime.bench;

import io.dime.api.Tensor;
import io.dime.modality.image.Image;
import io.dime.modality.image.ImageModalityFactory;
import io.dime.spi.Encoder;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.PluginConfig;
import io.dime.spi.PoolStatistics;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Operations per second of the image modality on a 224 x 224 synthetic scene: featurize (SLIC with
 * a target of 50 segments, Felzenszwalb, a 7 x 7 grid), perturb (one random mask, each of the about
 * 50 segments kept with probability 1/2 as LIME draws them), encode (NCHW float, as is and after
 * resize 256 + centre crop 224), and the heat-map view (PNG included).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ImageModalityBenchmark {
  static final int SIZE = 224;
  static final int MASKS = 1024;

  @SuppressWarnings("unchecked")
  static Modality<Image> modality(Object... settings) {
    return (Modality<Image>)
        new ImageModalityFactory().create("image", PluginConfig.of("image benchmark", settings));
  }

  /** A scene of flat shapes on a gradient with +-2 noise, so segments have texture to follow. */
  static Image scene() {
    int[] px = new int[SIZE * SIZE];
    SplittableRandom noise = new SplittableRandom(20240611L);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int r = 90 + y * 60 / SIZE;
        int g = 140 + x * 40 / SIZE;
        int b = 200 - y * 50 / SIZE;
        if ((x - 64) * (x - 64) + (y - 72) * (y - 72) < 38 * 38) {
          r = 210;
          g = 50;
          b = 45;
        } else if (x >= 120 && x < 196 && y >= 28 && y < 96) {
          g = (y / 8) % 2 == 1 ? 120 : 170;
          r = 40;
          b = 60;
        } else if (y >= 176) {
          r = 120 + ((x + y) / 6) % 2 * 14;
          g = 90;
          b = 60;
        }
        r = Math.max(0, Math.min(255, r + noise.nextInt(-2, 3)));
        g = Math.max(0, Math.min(255, g + noise.nextInt(-2, 3)));
        b = Math.max(0, Math.min(255, b + noise.nextInt(-2, 3)));
        px[y * SIZE + x] = r << 16 | g << 8 | b;
      }
    }
    return Image.ofPackedRgb(SIZE, SIZE, px);
  }

  @State(Scope.Benchmark)
  public static class Featurize {
    @Param({"slic", "felzenszwalb", "grid"})
    public String featurizer;

    Modality<Image> modality;
    Image image;

    @Setup(Level.Trial)
    public void setUp() {
      modality =
          featurizer.equals("felzenszwalb")
              ? modality("featurizer", featurizer)
              : modality("featurizer", featurizer, "segments", 50);
      image = scene();
    }
  }

  /** One featurization: segmentation, per-segment statistics and the hidden image (mean colour). */
  @Benchmark
  public FeatureSet<Image> featurize(Featurize s) {
    return s.modality.featurize(s.image, PoolStatistics.empty(), new SplittableRandom(1));
  }

  @State(Scope.Thread)
  public static class Perturb {
    FeatureSet<Image> features;
    boolean[][] masks;
    double[] weights;
    Modality<Image> modality;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      modality = modality("segments", 50);
      features = modality.featurize(scene(), PoolStatistics.empty(), new SplittableRandom(1));
      SplittableRandom rng = new SplittableRandom(42);
      masks = new boolean[MASKS][features.size()];
      for (boolean[] m : masks) {
        for (int i = 0; i < m.length; i++) {
          m[i] = rng.nextBoolean();
        }
      }
      weights = new double[features.size()];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = rng.nextDouble(-1, 1);
      }
    }

    boolean[] nextMask() {
      next = (next + 1) & (MASKS - 1);
      return masks[next];
    }
  }

  /** One perturbed image: a random mask over about 50 SLIC segments, mean-colour hiding. */
  @Benchmark
  public Image perturb(Perturb s) {
    return s.features.apply(s.nextMask());
  }

  /** One heat-map view: blending, boundaries and the PNG encoding. */
  @Benchmark
  public View heatmapView(Perturb s) {
    return s.modality.view(s.features, s.weights, ViewOptions.defaults("benchmark"));
  }

  @State(Scope.Benchmark)
  public static class Encode {
    @Param({"plain", "resize_crop"})
    public String pipeline;

    Encoder<Image> encoder;
    Image image;

    @Setup(Level.Trial)
    public void setUp() {
      List<Double> mean = List.of(0.485, 0.456, 0.406);
      List<Double> std = List.of(0.229, 0.224, 0.225);
      encoder =
          (pipeline.equals("plain")
                  ? modality("mean", mean, "std", std)
                  : modality("resize", 256, "centerCrop", 224, "mean", mean, "std", std))
              .encoder();
      image = scene();
    }
  }

  /** One 224 x 224 image to a [3, 224, 224] float tensor with ImageNet normalisation. */
  @Benchmark
  public List<Tensor> encodeNchw(Encode s) {
    return s.encoder.encode(s.image);
  }
}
