package io.dime.core.job;

import static io.dime.core.job.ModelFaultPolicyTest.POISON;
import static io.dime.core.job.ModelFaultPolicyTest.REAL;
import static io.dime.core.job.ModelFaultPolicyTest.records;
import static io.dime.core.job.ModelFaultPolicyTest.run;
import static io.dime.core.job.ModelFaultPolicyTest.withoutTimings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.spy;

import io.dime.api.ElementType;
import io.dime.api.ExplainResult;
import io.dime.api.MultimodalModel;
import io.dime.api.OutputKind;
import io.dime.api.RecordError;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.api.run.SourceRecord;
import io.dime.core.Dime;
import io.dime.core.DimeBuilder;
import io.dime.core.Targets;
import io.dime.core.estimate.Estimators;
import io.dime.core.infer.EncodedModel;
import io.dime.core.modality.VectorModality;
import io.dime.core.surrogate.Lime;
import io.dime.spi.ColumnFit;
import io.dime.spi.Encoder;
import io.dime.spi.Modality;
import io.dime.spi.ModelSignature;
import io.dime.spi.SampleDesign;
import io.dime.spi.SamplingHints;
import io.dime.spi.Surrogate;
import io.dime.testkit.FunctionAdapter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A plugin's code failing on one record in a way its contract does not name (a modality's
 * featurizer throwing a NullPointerException, a surrogate throwing or answering NaN weights or
 * arrays of the wrong size) fails that record alone, at stage {@code featurize} or {@code fit},
 * naming the plugin, the exception and where it was thrown; the other records are explained exactly
 * as without the fault. Before, the exception stopped the whole job (exit 3), and each rerun
 * stopped again at the same record.
 */
class PluginFaultsTest {
  private static final int N = 6;
  private static final int[] POISONED = {1, 4};
  private static final VectorModality B = VectorModality.of("b", 3);

  private static DimeBuilder engine(Modality<?> a, Surrogate surrogate) {
    return engine(a, surrogate, REAL);
  }

  private static DimeBuilder engine(Modality<?> a, Surrogate surrogate, MultimodalModel model) {
    return Dime.builder()
        .modality(a)
        .modality(B)
        .model(model)
        .referencePool(ModelFaultPolicyTest.points("pool", 12, 7))
        .estimator(Estimators.sampled(4))
        .samples(40)
        .seed(3)
        .surrogate(surrogate)
        .faithfulness(2, 5);
  }

  private static List<ExplainResult> job(Modality<?> a, Surrogate surrogate, int[] failed)
      throws IOException {
    return job(engine(a, surrogate), failed);
  }

  private static List<ExplainResult> job(DimeBuilder engine, int[] failed) throws IOException {
    ModelFaultPolicyTest.Collector sink = new ModelFaultPolicyTest.Collector();
    List<SourceRecord> records = records(N, POISONED);
    JobOutcome out;
    try (Dime dime = engine.build()) {
      out = run(dime, records, sink, 2, 10);
    }
    assertEquals(N - failed.length, out.explained());
    assertEquals(failed.length, out.failed());
    assertEquals(1, out.exitCode(), "some records failed; the job itself did not");
    assertTrue(out.stopped().isEmpty());
    return sink.results.stream().map(io.dime.api.run.JobResult::result).toList();
  }

  /** The clean run's results, to compare the records the fault does not touch. */
  private static List<ExplainResult> clean() throws IOException {
    return clean(engine(VectorModality.of("a", 3), Lime.defaults()));
  }

  private static List<ExplainResult> clean(DimeBuilder engine) throws IOException {
    ModelFaultPolicyTest.Collector sink = new ModelFaultPolicyTest.Collector();
    try (Dime dime = engine.build()) {
      run(dime, records(N, POISONED), sink, 1, 10);
    }
    return sink.results.stream().map(io.dime.api.run.JobResult::result).toList();
  }

  private static void onlyPoisonedFail(List<ExplainResult> got, String stage, String... words)
      throws IOException {
    onlyPoisonedFail(clean(), got, stage, words);
  }

  private static void onlyPoisonedFail(
      List<ExplainResult> want, List<ExplainResult> got, String stage, String... words) {
    for (int i = 0; i < N; i++) {
      if (i == POISONED[0] || i == POISONED[1]) {
        RecordError e = assertInstanceOf(RecordError.class, got.get(i), "record " + i);
        assertEquals(stage, e.stage(), e.message());
        assertEquals(java.util.Optional.of("p" + i), e.id());
        for (String w : words) {
          assertTrue(e.message().contains(w), "'" + w + "' in: " + e.message());
        }
      } else {
        assertEquals(withoutTimings(want.get(i)), withoutTimings(got.get(i)), "record " + i);
      }
    }
  }

  /** Whether a value of modality a is a poisoned record's. */
  private static boolean poisoned(Object value) {
    return ((double[]) value)[0] == POISON;
  }

  @Test
  void aFeaturizerThatThrowsFailsItsRecordAtStageFeaturize() throws IOException {
    Modality<double[]> a = spy(VectorModality.of("a", 3));
    doAnswer(
            inv -> {
              if (poisoned(inv.getArgument(0))) {
                String missing = null;
                return missing.length(); // a plugin's bug: a NullPointerException
              }
              return inv.callRealMethod();
            })
        .when(a)
        .featurize(any(), any(), any());
    onlyPoisonedFail(
        job(a, Lime.defaults(), POISONED),
        "featurize",
        "featurizing modality 'a' (plugin vector) failed: java.lang.NullPointerException",
        "(at io.dime.core.job.PluginFaultsTest");
  }

  @Test
  void aValueCheckThatThrowsFailsItsRecordAtStageInput() throws IOException {
    Modality<double[]> a = spy(VectorModality.of("a", 3));
    doAnswer(
            inv -> {
              if (inv.getArgument(0) instanceof double[] v && poisoned(v)) {
                throw new ClassCastException("a plugin's bug");
              }
              return inv.callRealMethod();
            })
        .when(a)
        .check(any(), any());
    onlyPoisonedFail(
        job(a, Lime.defaults(), POISONED),
        "input",
        "checking the value of modality 'a' (plugin vector) failed: java.lang.ClassCastException: a plugin's bug");
  }

  /** A tensor model of a [n, 3] and b [n, 3]: logits (-y, y), y = a0 b0 + a1 + b2. */
  private static FunctionAdapter logitsAdapter() {
    return FunctionAdapter.of(
        new ModelSignature(
            List.of(
                new TensorSpec("a", ElementType.FLOAT32, new long[] {-1, 3}),
                new TensorSpec("b", ElementType.FLOAT32, new long[] {-1, 3})),
            List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, 2}))),
        Map.of("model", "logits"),
        PluginFaultsTest::logitsAdapterOutputs);
  }

  /** The outputs of logitsAdapter() for one batch. */
  private static Map<String, Tensor> logitsAdapterOutputs(Map<String, Tensor> inputs) {
    float[] a = inputs.get("a").floats();
    float[] b = inputs.get("b").floats();
    int n = a.length / 3;
    float[] y = new float[2 * n];
    for (int i = 0; i < n; i++) {
      float v = a[3 * i] * b[3 * i] + a[3 * i + 1] + b[3 * i + 2];
      y[2 * i] = -v;
      y[2 * i + 1] = v;
    }
    return Map.of("y", Tensor.ofFloats("y", new long[] {n, 2}, y));
  }

  private static DimeBuilder tensorEngine(Modality<?> a) {
    MultimodalModel m =
        new EncodedModel(List.of(a, B), logitsAdapter(), null, OutputKind.LOGITS, null);
    return engine(a, Lime.defaults(), m);
  }

  /**
   * An encoder's bug is the record's input error naming the modality, not a model failure that
   * counts towards stopping the job (it was: "model failed: null").
   */
  @Test
  void anEncoderThatThrowsFailsItsRecordAtStageInputNotModel() throws IOException {
    VectorModality real = VectorModality.of("a", 3);
    Encoder<double[]> enc = spy(real.encoder());
    doAnswer(
            inv -> {
              if (poisoned(inv.getArgument(0))) {
                throw new NullPointerException();
              }
              return inv.callRealMethod();
            })
        .when(enc)
        .encode(any());
    Modality<double[]> a = spy(real);
    doReturn(enc).when(a).encoder();
    onlyPoisonedFail(
        clean(tensorEngine(real)),
        job(tensorEngine(a), POISONED),
        "input",
        "encoding a perturbed value of modality 'a' failed: java.lang.NullPointerException (at");
  }

  /**
   * A model adapter's bug (an exception with no message, as {@code throw new
   * IllegalStateException()} makes) fails its record at stage {@code model} naming the exception
   * and the frame that threw it, i.e. the adapter's class; it was "model failed: null".
   */
  @Test
  void anAdapterThatThrowsWithoutAMessageFailsItsRecordNamingTheExceptionAndTheFrame()
      throws IOException {
    VectorModality a = VectorModality.of("a", 3);
    FunctionAdapter faulty =
        FunctionAdapter.of(
            logitsAdapter().signature(),
            Map.of("model", "logits"),
            inputs -> {
              float[] v = inputs.get("a").floats();
              for (int i = 0; i < v.length; i += 3) {
                if (v[i] == (float) POISON) {
                  throw new IllegalStateException();
                }
              }
              return logitsAdapterOutputs(inputs);
            });
    MultimodalModel m = new EncodedModel(List.of(a, B), faulty, null, OutputKind.LOGITS, null);
    onlyPoisonedFail(
        clean(tensorEngine(a)),
        job(engine(a, Lime.defaults(), m), POISONED),
        "model",
        "model failed: java.lang.IllegalStateException (at io.dime.core.job.PluginFaultsTest.");
  }

  /**
   * A feature set that hides features in the value it was given, not in a copy, changes the point
   * being explained: its record fails at stage {@code perturb} naming the modality and its plugin.
   * Before, the record was "explained" (exit 0) with wrong numbers, and the hidden-feature check
   * blamed the perturber for hiding nothing the model reads.
   */
  @Test
  void aFeatureSetThatHidesInPlaceFailsItsRecordAtStagePerturb() throws IOException {
    Modality<double[]> a = spy(VectorModality.of("a", 3));
    doAnswer(
            inv -> {
              @SuppressWarnings("unchecked")
              io.dime.spi.FeatureSet<double[]> fs =
                  (io.dime.spi.FeatureSet<double[]>) inv.callRealMethod();
              if (!poisoned(inv.getArgument(0))) {
                return fs;
              }
              io.dime.spi.FeatureSet<double[]> inPlace = spy(fs);
              doAnswer(
                      m -> {
                        double[] hidden = (double[]) m.callRealMethod();
                        double[] v = fs.value();
                        System.arraycopy(hidden, 0, v, 0, v.length);
                        return v;
                      })
                  .when(inPlace)
                  .apply(any());
              return inPlace;
            })
        .when(a)
        .featurize(any(), any(), any());
    onlyPoisonedFail(
        job(a, Lime.defaults(), POISONED),
        "perturb",
        "modality 'a' (plugin vector): the value being explained changed while its features were"
            + " hidden");
  }

  /** A feature set whose hiding throws on the poisoned records' masks: stage {@code perturb}. */
  @Test
  void aFeatureSetThatThrowsWhenHidingFailsItsRecordAtStagePerturb() throws IOException {
    Modality<double[]> a = spy(VectorModality.of("a", 3));
    doAnswer(
            inv -> {
              @SuppressWarnings("unchecked")
              io.dime.spi.FeatureSet<double[]> fs =
                  (io.dime.spi.FeatureSet<double[]>) inv.callRealMethod();
              if (!poisoned(inv.getArgument(0))) {
                return fs;
              }
              io.dime.spi.FeatureSet<double[]> broken = spy(fs);
              doAnswer(
                      m -> {
                        throw new ArrayIndexOutOfBoundsException("Index 3 out of bounds");
                      })
                  .when(broken)
                  .apply(any());
              return broken;
            })
        .when(a)
        .featurize(any(), any(), any());
    onlyPoisonedFail(
        job(a, Lime.defaults(), POISONED),
        "perturb",
        "perturbing modality 'a' (plugin vector) failed: java.lang.ArrayIndexOutOfBoundsException: Index 3 out of"
            + " bounds (at");
  }

  /**
   * Lime under another name, each design it draws passed through {@code design} and each fit made
   * by {@code fit}.
   */
  private static Surrogate limeWith(
      String name,
      UnaryOperator<SampleDesign> design,
      BiFunction<SampleDesign, double[][], List<ColumnFit>> fit) {
    Surrogate lime = Lime.defaults();
    return new Surrogate() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public SampleDesign design(int d, int samples, SamplingHints hints, SplittableRandom rng) {
        return design.apply(lime.design(d, samples, hints, rng));
      }

      @Override
      public List<ColumnFit> fit(SampleDesign d, double[][] targets) {
        return fit.apply(d, targets);
      }

      @Override
      public Map<String, Object> provenance() {
        return lime.provenance();
      }
    };
  }

  /** Lime, except on the fits of a poisoned record (whose targets reach the poison's scale). */
  private static Surrogate faultyLime(
      BiFunction<SampleDesign, double[][], List<ColumnFit>> onPoisoned) {
    Surrogate lime = Lime.defaults();
    return limeWith(
        "faulty",
        d -> d,
        (design, targets) -> {
          double most = 0;
          for (double[] row : targets) {
            for (double v : row) {
              most = Math.max(most, Math.abs(v));
            }
          }
          return most > 20 ? onPoisoned.apply(design, targets) : lime.fit(design, targets);
        });
  }

  @Test
  void aSurrogateThatThrowsFailsItsRecordAtStageFit() throws IOException {
    onlyPoisonedFail(
        job(
            VectorModality.of("a", 3),
            faultyLime(
                (d, y) -> {
                  throw new ArithmeticException("singular matrix");
                }),
            POISONED),
        "fit",
        "modality 'a': surrogate 'faulty' failed in fit: java.lang.ArithmeticException: singular"
            + " matrix (at io.dime.core.job.PluginFaultsTest");
  }

  @Test
  void aSurrogateAnsweringNanWeightsFailsItsRecordAtStageFit() throws IOException {
    List<ExplainResult> got =
        job(
            VectorModality.of("a", 3),
            faultyLime(
                (d, y) -> {
                  List<ColumnFit> fits = new ArrayList<>(Lime.defaults().fit(d, y));
                  ColumnFit f = fits.get(0);
                  double[] w = f.weights().clone();
                  w[1] = Double.NaN;
                  fits.set(0, new ColumnFit(w, f.standardErrors(), f.intercept(), f.score()));
                  return fits;
                }),
            POISONED);
    onlyPoisonedFail(
        got,
        "fit",
        "modality 'a': surrogate 'faulty' answered fit with target column 0 has the weight NaN"
            + " for feature 1");
  }

  @Test
  void aSurrogateAnsweringTheWrongShapesFailsItsRecordAtStageFit() throws IOException {
    onlyPoisonedFail(
        job(
            VectorModality.of("a", 3),
            faultyLime((d, y) -> Lime.defaults().fit(d, y).subList(0, 1)),
            POISONED),
        "fit",
        "answered fit with 1 fits for ");
    onlyPoisonedFail(
        job(
            VectorModality.of("a", 3),
            faultyLime(
                (d, y) -> {
                  List<ColumnFit> fits = new ArrayList<>(Lime.defaults().fit(d, y));
                  fits.set(1, new ColumnFit(new double[2], new double[2], 0, 0));
                  return fits;
                }),
            POISONED),
        "fit",
        "answered fit with target column 1 has 2 weights and 2 standard errors for 3 features");
  }

  /** A design the engine cannot use fails every record naming the surrogate, not the input. */
  @Test
  void aSurrogateDesignOfTheWrongShapeIsItsOwnFailure() {
    Surrogate shortMasks =
        limeWith(
            "short",
            full -> {
              boolean[][] masks = full.masks().clone();
              masks[7] = new boolean[full.features() - 1];
              return new SampleDesign(masks, full.weights());
            },
            Lime.defaults()::fit);
    try (Dime dime = engine(VectorModality.of("a", 3), shortMasks).build()) {
      RecordError e =
          assertInstanceOf(
              RecordError.class,
              dime.explainOrError(
                  ModelFaultPolicyTest.points("x", 1, 5).get(0), Targets.predicted()));
      assertEquals("fit", e.stage());
      assertEquals(
          "modality 'a': surrogate 'short' answered design with sample 7 has a mask of 2 features"
              + " for 3 features",
          e.message());
    }
  }
}
