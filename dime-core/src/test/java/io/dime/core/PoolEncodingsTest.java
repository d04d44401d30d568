package io.dime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dime.api.Datapoint;
import io.dime.api.ElementType;
import io.dime.api.InputException;
import io.dime.api.OutputKind;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.infer.EncodedModel;
import io.dime.core.modality.VectorModality;
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
    List<Modality<?>> mods = List.of(VectorModality.of("m1", 3), FREE);
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
}
