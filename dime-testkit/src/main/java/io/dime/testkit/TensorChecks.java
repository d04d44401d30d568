package io.dime.testkit;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tensor helpers and assertions of the model adapter contracts. */
final class TensorChecks {
  /** Batches each thread runs in the thread-safety check. */
  static final int BATCHES_PER_THREAD = 50;

  private TensorChecks() {}

  /** Runs {@code inputs} and returns the expected output, checking that it is the only one. */
  static Tensor runOne(ModelAdapterFixture f, Map<String, Tensor> inputs) {
    String output = f.expectedOutputName();
    Map<String, Tensor> out = f.adapter().run(inputs, List.of(output));
    assertNotNull(out, "run returned null");
    assertEquals(Set.of(output), out.keySet(), "run must return exactly the requested outputs");
    return out.get(output);
  }

  /** Fails unless running {@code inputs} fails with {@link ModelException}. */
  static ModelException expectFailure(
      ModelAdapterFixture f, Map<String, Tensor> inputs, String what) {
    return assertThrows(
        ModelException.class,
        () -> f.adapter().run(inputs, List.of(f.expectedOutputName())),
        what + ": run must fail with ModelException");
  }

  /**
   * What differs between two tensors beyond {@code tolerance} (type, shape or the first element),
   * or null when they agree.
   */
  static String difference(Tensor expected, Tensor actual, double tolerance) {
    if (expected.type() != actual.type()) {
      return "element type " + actual.type() + ", expected " + expected.type();
    }
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return "shape "
          + Arrays.toString(actual.shape())
          + ", expected "
          + Arrays.toString(expected.shape());
    }
    for (int i = 0; i < expected.size(); i++) {
      double a = value(expected, i);
      double b = value(actual, i);
      if (!(Math.abs(a - b) <= tolerance) && !(Double.isNaN(a) && Double.isNaN(b))) {
        return "element " + i + " is " + b + ", expected " + a + " (tolerance " + tolerance + ")";
      }
    }
    return null;
  }

  private static double value(Tensor t, int i) {
    return t.type() == ElementType.FLOAT32 ? t.floats()[i] : t.longs()[i];
  }

  /** Fails unless every tensor has {@code batch} rows. */
  static void checkSample(Map<String, Tensor> inputs, int batch) {
    assertNotNull(inputs, "sampleInputs(" + batch + ") returned null");
    inputs.forEach(
        (name, t) ->
            assertTrue(
                t.shape().length >= 1 && t.shape()[0] == batch,
                "sampleInputs("
                    + batch
                    + ") returned '"
                    + name
                    + "' with shape "
                    + Arrays.toString(t.shape())));
  }

  /** Rows {@code [from, to)} of a tensor, batch dimension first. */
  static Tensor rows(Tensor t, int from, int to) {
    requireNonNull(t, "t is null");
    long[] shape = t.shape().clone();
    if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
      throw new IllegalArgumentException(
          "rows [" + from + ", " + to + ") of " + t.name() + Arrays.toString(shape));
    }
    int rowSize = shape[0] == 0 ? 0 : t.size() / (int) shape[0];
    shape[0] = to - from;
    return t.type() == ElementType.FLOAT32
        ? Tensor.ofFloats(
            t.name(), shape, Arrays.copyOfRange(t.floats(), from * rowSize, to * rowSize))
        : Tensor.ofLongs(
            t.name(), shape, Arrays.copyOfRange(t.longs(), from * rowSize, to * rowSize));
  }

  /** Rows {@code [from, to)} of every tensor, batch dimension first. */
  static Map<String, Tensor> rows(Map<String, Tensor> tensors, int from, int to) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach((k, v) -> out.put(k, rows(v, from, to)));
    return out;
  }

  static Set<String> names(List<TensorSpec> specs) {
    Set<String> names = new HashSet<>();
    specs.forEach(s -> names.add(s.name()));
    return names;
  }

  static Map<String, Tensor> deepCopy(Map<String, Tensor> tensors) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach(
        (k, t) ->
            out.put(
                k,
                new Tensor(
                    t.name(),
                    t.type(),
                    t.shape().clone(),
                    t.floats() == null ? null : t.floats().clone(),
                    t.longs() == null ? null : t.longs().clone())));
    return out;
  }

  static void assertTensorEquals(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + " (shape)");
    assertArrayEquals(expected.floats(), actual.floats(), what + " (floats)");
    assertArrayEquals(expected.longs(), actual.longs(), what + " (longs)");
  }

  /** The tensor with the other element type (FLOAT32 and INT64 swapped), values cast. */
  static Tensor retyped(Tensor t) {
    if (t.type() == ElementType.FLOAT32) {
      long[] longs = new long[t.size()];
      for (int i = 0; i < longs.length; i++) {
        longs[i] = (long) t.floats()[i];
      }
      return Tensor.ofLongs(t.name(), t.shape().clone(), longs);
    }
    float[] floats = new float[t.size()];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = t.longs()[i];
    }
    return Tensor.ofFloats(t.name(), t.shape().clone(), floats);
  }

  static Tensor zeros(String name, ElementType type, long[] shape) {
    int n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, (int) d);
    }
    return type == ElementType.FLOAT32
        ? Tensor.ofFloats(name, shape, new float[n])
        : Tensor.ofLongs(name, shape, new long[n]);
  }
}
