package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.spy;

import io.dime.api.Datapoint;
import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.OutputKind;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.infer.EncodedModel;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Encoder;
import io.dime.spi.Modality;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import io.dime.testkit.FunctionAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pool datapoints whose encodings could not share a batch with the rest of the pool. */
class PoolEncodingsTest {
  /** A vector modality of free length: every length checks, so only the encoding shape differs. */
  private static final VectorModality FREE =
      new VectorModality("m2", PluginConfig.of("vector m2", "input", "m2"));

  private static List<Datapoint> pool(int... secondLengths) {
    List<Datapoint> out = new ArrayList<>();
    for (int i = 0; i < secondLengths.length; i++) {
      out.add(Fixtures.point("p" + i, new double[] {i, 1, 2}, new double[secondLengths[i]]));
    }
    return out;
  }

  @Test
  void theOddShapeIsNamedAgainstTheShapeMostOfThePoolHas() {
    List<Modality<?>> mods = List.of(VectorModality.of("m1", 3), FREE);
    List<String> p = PoolEncodings.problems(mods, pool(4, 5, 4, 4));
    assertNull(p.get(0));
    assertEquals(
        "modality 'm2' encodes it as 'm2' [5] where 3 of the 4 pool datapoints encode as 'm2' [4]"
            + " (one batch cannot hold both)",
        p.get(1));
    assertNull(p.get(2));
    assertNull(p.get(3));
    assertEquals(
        List.of(),
        PoolEncodings.problems(mods, pool(4, 4, 4)).stream().filter(x -> x != null).toList());
  }

  @Test
  void aValueItsModalityRefusesIsNamedWithTheModality() {
    List<Modality<?>> mods = List.of(VectorModality.of("m1", 3), FREE);
    List<Datapoint> pool = new ArrayList<>(pool(4, 4));
    pool.add(Fixtures.point("bad", new double[] {1, 2}, new double[4]));
    List<String> p = PoolEncodings.problems(mods, pool);
    assertEquals("modality 'm1' has 2 entries; expected 3", p.get(2));
  }

  /** Modality m1 (3 entries) whose encoder runs {@code encode} in place of its own. */
  private static Modality<double[]> m1Encoding(
      java.util.function.Function<double[], List<Tensor>> encode) {
    VectorModality real = VectorModality.of("m1", 3);
    Encoder<double[]> enc = spy(real.encoder());
    doAnswer(inv -> encode.apply(inv.getArgument(0))).when(enc).encode(any());
    Modality<double[]> m = spy(real);
    doReturn(enc).when(m).encoder();
    return m;
  }

  /**
   * A plugin's encoder failing with an exception that names no problem (a NullPointerException) is
   * the pool datapoint's problem, naming the modality, its plugin, the exception and where it was
   * thrown; it used to escape, and `dime explain` printed only "dime:
   * java.lang.NullPointerException" and stopped.
   */
  @Test
  void anEncoderThatThrowsIsNamedWithTheModalityThePluginAndTheFrame() {
    Modality<double[]> m1 =
        m1Encoding(
            v -> {
              if (v[0] == 1) {
                throw new NullPointerException();
              }
              return List.of(Tensor.ofFloats("m1", new long[] {3}, new float[3]));
            });
    List<String> p = PoolEncodings.problems(List.of(m1, FREE), pool(4, 4, 4));
    assertNull(p.get(0));
    assertNull(p.get(2));
    assertTrue(
        p.get(1)
            .startsWith(
                "checking and encoding it with modality 'm1' (plugin vector) failed:"
                    + " java.lang.NullPointerException (at "),
        p.get(1));
  }

  /**
   * An encoder making tensors other than the ones it declares is named, even when it does so for
   * the whole pool alike (it declares [3] and encodes [4]): unchecked, the numbers reached the
   * model, which read them with the declared row length or failed naming only its input.
   */
  @Test
  void anEncodingUnlikeTheEncodersDeclarationIsNamed() {
    Modality<double[]> m1 =
        m1Encoding(v -> List.of(Tensor.ofFloats("m1", new long[] {4}, new float[4])));
    List<String> p = PoolEncodings.problems(List.of(m1, FREE), pool(4, 4));
    String want =
        "modality 'm1' (plugin vector) encodes 'm1' as FLOAT32 [4] where its encoder declares"
            + " FLOAT32 [3] (a fault of the plugin)";
    assertEquals(List.of(want, want), p);
    Modality<double[]> longs =
        m1Encoding(v -> List.of(Tensor.ofLongs("m1", new long[] {3}, new long[3])));
    assertEquals(
        "modality 'm1' (plugin vector) encodes 'm1' as INT64 [3] where its encoder declares"
            + " FLOAT32 [3] (a fault of the plugin)",
        PoolEncodings.problems(List.of(longs, FREE), pool(4)).get(0));
    Modality<double[]> two =
        m1Encoding(
            v ->
                List.of(
                    Tensor.ofFloats("m1", new long[] {3}, new float[3]),
                    Tensor.ofFloats("extra", new long[] {1}, new float[1])));
    assertEquals(
        "modality 'm1' (plugin vector) encodes 2 tensors where its encoder declares 1 [m1] (a"
            + " fault of the plugin)",
        PoolEncodings.problems(List.of(two, FREE), pool(4)).get(0));
  }

  /** Inputs m1 [n, 3] and m2 [n, any]; one output, the first entry of m1. */
  static FunctionAdapter adapter() {
    return FunctionAdapter.of(
        new ModelSignature(
            List.of(
                new TensorSpec("m1", ElementType.FLOAT32, new long[] {-1, 3}),
                new TensorSpec("m2", ElementType.FLOAT32, new long[] {-1, -1})),
            List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, 1}))),
        Map.of(),
        PoolEncodingsTest::adapterOutputs);
  }

  /** The outputs of adapter() for one batch. */
  private static Map<String, Tensor> adapterOutputs(Map<String, Tensor> inputs) {
    float[] a = inputs.get("m1").floats();
    int n = a.length / 3;
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = a[3 * i];
    }
    return Map.of("y", Tensor.ofFloats("y", new long[] {n, 1}, y));
  }

  private static Dime engine(List<Datapoint> pool) {
    return engine(List.of(VectorModality.of("m1", 3), FREE), pool);
  }

  private static Dime engine(List<Modality<?>> mods, List<Datapoint> pool) {
    DimeBuilder b = Dime.builder();
    mods.forEach(b::modality);
    return b.model(new EncodedModel(mods, adapter(), null, OutputKind.REGRESSION, null))
        .referencePool(pool)
        .build();
  }

  @Test
  void theEngineAcceptsAPoolOfOneShape() {
    engine(pool(4, 4, 4)).close();
  }

  @Test
  void theEngineRefusesSuchAPoolNamingTheFirstDatapointAndCountingTheOthers() {
    InputException e = assertThrows(InputException.class, () -> engine(pool(4, 6, 4, 6, 4)));
    assertEquals("p1", e.recordId().orElseThrow());
    assertEquals(
        "record 'p1': reference pool datapoint: modality 'm2' encodes it as 'm2' [6] where 3 of"
            + " the 5 pool datapoints encode as 'm2' [4] (one batch cannot hold both) (1 more pool"
            + " datapoints too)",
        e.getMessage());
  }

  /**
   * Building an engine encodes each pool value once: the pool's budget is counted from the first
   * value's encodings, which are then packed as they are (the first value was encoded twice, once
   * to count its bytes and once to pack it).
   */
  @Test
  void theEngineEncodesEachPoolValueOnce() {
    java.util.Map<Object, Integer> encoded = new java.util.IdentityHashMap<>();
    Modality<double[]> m1 =
        m1Encoding(
            v -> {
              encoded.merge(v, 1, Integer::sum);
              return List.of(Tensor.ofFloats("m1", new long[] {3}, new float[] {1, 2, 3}));
            });
    List<Datapoint> pool = pool(4, 4, 4);
    engine(List.of(m1, FREE), pool).close();
    List<Integer> counts = new ArrayList<>();
    for (Datapoint p : pool) {
      counts.add(encoded.getOrDefault(p.value("m1"), 0));
    }
    assertEquals(List.of(1, 1, 1), counts);
  }
}
