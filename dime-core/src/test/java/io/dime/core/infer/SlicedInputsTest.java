package io.dime.core.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.core.modality.VectorModality;
import io.dime.spi.Modality;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import io.dime.spi.PluginConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slices of one input filled by several modalities: the signature, the concatenation, the checks.
 */
class SlicedInputsTest {
  /** An adapter over one input [batch, width] and another, that keeps what it was fed. */
  private static final class Recording implements ModelAdapter {
    final List<Map<String, Tensor>> fed = new ArrayList<>();
    final long width;

    Recording(long width) {
      this.width = width;
    }

    @Override
    public ModelSignature signature() {
      return new ModelSignature(
          List.of(
              new TensorSpec("x", ElementType.FLOAT32, new long[] {-1, width}),
              new TensorSpec("other", ElementType.FLOAT32, new long[] {-1, 1})),
          List.of(new TensorSpec("y", ElementType.FLOAT32, new long[] {-1, 1})));
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputNames) {
      fed.add(inputs);
      int n = (int) inputs.get("x").shape()[0];
      return Map.of("y", Tensor.ofFloats("y", new long[] {n, 1}, new float[n]));
    }

    @Override
    public Map<String, Object> provenance() {
      return Map.of("adapter", "recording");
    }

    @Override
    public void close() {}
  }

  private static Modality<?> vector(String name, int length, String input) {
    return new VectorModality(
        name, PluginConfig.of("modality " + name, "length", length, "input", input));
  }

  @Test
  void slicesAreInputsOfTheirOwnAndAreFedSideBySide() {
    Recording inner = new Recording(5);
    ModelAdapter m =
        SlicedInputs.wrap(
            inner,
            List.of(vector("b", 2, "x[3:5]"), vector("a", 3, "x[0:3]"), vector("o", 1, "other")));
    assertEquals(
        List.of(
            new TensorSpec("x[0:3]", ElementType.FLOAT32, new long[] {-1, 3}),
            new TensorSpec("x[3:5]", ElementType.FLOAT32, new long[] {-1, 2}),
            new TensorSpec("other", ElementType.FLOAT32, new long[] {-1, 1})),
        m.signature().inputs());
    m.run(
        Map.of(
            "x[3:5]", Tensor.ofFloats("x[3:5]", new long[] {2, 2}, new float[] {4, 5, 40, 50}),
            "x[0:3]",
                Tensor.ofFloats("x[0:3]", new long[] {2, 3}, new float[] {1, 2, 3, 10, 20, 30}),
            "other", Tensor.ofFloats("other", new long[] {2, 1}, new float[] {7, 8})),
        List.of("y"));
    Tensor x = inner.fed.get(0).get("x");
    assertArrayEquals(new long[] {2, 5}, x.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 10, 20, 30, 40, 50}, x.floats());
    assertArrayEquals(new float[] {7, 8}, inner.fed.get(0).get("other").floats());
    assertEquals(Map.of("x", List.of("x[0:3]", "x[3:5]")), m.provenance().get("slicedInputs"));
  }

  @Test
  void anAdapterWithoutSlicesIsLeftAsItIs() {
    Recording inner = new Recording(1);
    assertSame(
        inner, SlicedInputs.wrap(inner, List.of(vector("x", 1, "x"), vector("o", 1, "other"))));
  }

  @Test
  void gapsOverlapsAndUnknownInputsAreRefusedByName() {
    String gap = refused(vector("a", 2, "x[0:2]"), vector("b", 2, "x[3:5]"));
    assertTrue(gap.contains("nothing fills [2:3)"), gap);
    String overlap = refused(vector("a", 3, "x[0:3]"), vector("b", 3, "x[2:5]"));
    assertTrue(overlap.contains("'x[2:5]' does not start where the one before ends (3)"), overlap);
    String shortOf = refused(vector("a", 2, "x[0:2]"), vector("b", 2, "x[2:4]"));
    assertTrue(shortOf.contains("end at 4, but its last dimension is 5"), shortOf);
    String unknown = refused(vector("a", 2, "z[0:2]"));
    assertTrue(unknown.contains("modality 'a' fills 'z[0:2]', a slice of input 'z'"), unknown);
  }

  private static String refused(Modality<?>... modalities) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> SlicedInputs.wrap(new Recording(5), List.of(modalities)))
        .getMessage();
  }
}
