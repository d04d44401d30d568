package io.dime.testkit;

import static io.dime.testkit.Checks.THREADS;
import static io.dime.testkit.TensorChecks.BATCHES_PER_THREAD;
import static io.dime.testkit.TensorChecks.assertTensorEquals;
import static io.dime.testkit.TensorChecks.checkSample;
import static io.dime.testkit.TensorChecks.deepCopy;
import static io.dime.testkit.TensorChecks.difference;
import static io.dime.testkit.TensorChecks.names;
import static io.dime.testkit.TensorChecks.rows;
import static io.dime.testkit.TensorChecks.runOne;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import io.dime.spi.ModelSignature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Contract tests of a model adapter's signature and runs with valid inputs. Part of {@link
 * ModelAdapterContract}, which a plugin's test extends.
 *
 * <ul>
 *   <li>{@link ModelAdapter#signature()} lists every input and output with a distinct name, an
 *       element type and a shape (batch dimension first, -1 for a dynamic dimension), the same on
 *       every call, and the fixture's sample inputs match it.
 *   <li>{@link ModelAdapter#run} returns exactly the requested outputs with n rows for n input rows
 *       (whatever batch dimension the model has), does not change its inputs, and a row's result
 *       does not depend on the other rows of its batch.
 *   <li>{@code run} is safe to call from several threads at once.
 * </ul>
 *
 * @since 0.1
 */
public interface AdapterRunContract {
  /** The adapter, its sample inputs and the output to request. */
  ModelAdapterFixture fixture();

  @Test
  default void signatureListsInputsAndOutputsWithNamesTypesAndShapes() {
    ModelAdapterFixture f = fixture();
    ModelSignature signature = f.adapter().signature();
    assertNotNull(signature, "signature() is null");
    assertFalse(signature.inputs().isEmpty(), "signature has no inputs");
    assertFalse(signature.outputs().isEmpty(), "signature has no outputs");
    checkSpecs("input", signature.inputs());
    checkSpecs("output", signature.outputs());
    String output = f.expectedOutputName();
    assertTrue(
        signature.output(output).isPresent(),
        "signature has no output '" + output + "'; outputs: " + signature.outputs());
    assertEquals(signature, f.adapter().signature(), "signature() changed between calls");

    Map<String, Tensor> sample = f.sampleInputs(1);
    assertEquals(
        names(signature.inputs()),
        sample.keySet(),
        "sampleInputs(1) does not provide exactly the signature's inputs");
    for (TensorSpec spec : signature.inputs()) {
      Tensor t = sample.get(spec.name());
      assertEquals(spec.type(), t.type(), "sampleInputs(1): element type of '" + spec.name() + "'");
      assertEquals(
          spec.shape().length,
          t.shape().length,
          "sampleInputs(1): rank of '" + spec.name() + "', signature " + spec);
    }
  }

  private static void checkSpecs(String kind, List<TensorSpec> specs) {
    Set<String> seen = new HashSet<>();
    for (TensorSpec spec : specs) {
      assertFalse(spec.name().isBlank(), kind + " with a blank name: " + spec);
      assertTrue(seen.add(spec.name()), kind + " '" + spec.name() + "' is listed twice");
      long[] shape = spec.shape();
      assertTrue(
          shape.length >= 1,
          kind + " '" + spec.name() + "' has no batch dimension: " + Arrays.toString(shape));
      for (long d : shape) {
        assertTrue(
            d == -1 || d > 0,
            kind
                + " '"
                + spec.name()
                + "' has dimension "
                + d
                + "; expected -1 (dynamic) or a positive size: "
                + Arrays.toString(shape));
      }
    }
  }

  @ParameterizedTest(name = "batch of {0}")
  @ValueSource(ints = {1, 3, 17})
  default void runReturnsTheRequestedOutputWithOneRowPerInputRow(int batch) {
    ModelAdapterFixture f = fixture();
    Map<String, Tensor> inputs = f.sampleInputs(batch);
    checkSample(inputs, batch);
    Map<String, Tensor> before = deepCopy(inputs);

    Tensor out = runOne(f, inputs);

    String name = f.expectedOutputName();
    TensorSpec spec = f.adapter().signature().output(name).orElseThrow();
    assertEquals(spec.type(), out.type(), "element type of output '" + name + "'");
    long[] expected = spec.shape();
    long[] shape = out.shape();
    String shapes = "signature " + Arrays.toString(expected) + ", found " + Arrays.toString(shape);
    assertEquals(expected.length, shape.length, "rank of output '" + name + "': " + shapes);
    assertEquals(
        batch,
        shape[0],
        "output '" + name + "' for a batch of " + batch + " has shape " + Arrays.toString(shape));
    for (int i = 1; i < expected.length; i++) {
      if (expected[i] >= 0) {
        assertEquals(
            expected[i], shape[i], "dimension " + i + " of output '" + name + "': " + shapes);
      }
    }
    for (Map.Entry<String, Tensor> e : before.entrySet()) {
      assertTensorEquals(e.getValue(), inputs.get(e.getKey()), "run changed input " + e.getKey());
    }
  }

  @Test
  default void rowResultsDoNotDependOnTheirBatch() {
    ModelAdapterFixture f = fixture();
    int batch = 17;
    Map<String, Tensor> inputs = f.sampleInputs(batch);
    checkSample(inputs, batch);
    Tensor all = runOne(f, inputs);
    for (int i = 0; i < batch; i++) {
      Tensor alone = runOne(f, rows(inputs, i, i + 1));
      String diff = difference(alone, rows(all, i, i + 1), f.tolerance());
      if (diff != null) {
        fail("row " + i + " of a batch of " + batch + " vs the same row run alone: " + diff);
      }
    }
  }

  @Test
  default void concurrentRunsGiveTheSameResultsAsSerialRuns() throws Exception {
    ModelAdapterFixture f = fixture();
    List<Map<String, Tensor>> batches = new ArrayList<>();
    List<Tensor> serial = new ArrayList<>();
    for (int j = 0; j < BATCHES_PER_THREAD; j++) {
      Map<String, Tensor> inputs = f.sampleInputs(1 + j % 7);
      batches.add(inputs);
      serial.add(runOne(f, inputs));
    }
    List<String> problems =
        ConcurrentCheck.run(
            THREADS,
            BATCHES_PER_THREAD,
            13,
            k -> {
              String diff = difference(serial.get(k), runOne(f, batches.get(k)), f.tolerance());
              return diff == null ? null : "batch " + k + ": " + diff;
            });
    assertTrue(
        problems.isEmpty(),
        THREADS + " threads running concurrently disagree with serial runs: " + problems);
  }
}
