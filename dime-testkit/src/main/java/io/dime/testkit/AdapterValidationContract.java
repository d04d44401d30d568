package io.dime.testkit;

import static io.dime.testkit.Checks.assertMessageContains;
import static io.dime.testkit.TensorChecks.expectFailure;
import static io.dime.testkit.TensorChecks.retyped;
import static io.dime.testkit.TensorChecks.zeros;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dime.api.ElementType;
import io.dime.api.ModelException;
import io.dime.api.Tensor;
import io.dime.api.TensorSpec;
import io.dime.spi.ModelAdapter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Contract tests of how a model adapter rejects mismatched inputs and outputs. Part of {@link
 * ModelAdapterContract}, which a plugin's test extends.
 *
 * <p>Mismatched inputs fail {@link ModelAdapter#run} with {@link ModelException} before the model
 * runs, and the message names the offending input or output and what was expected: a misspelled
 * input names the misspelled name and the model's inputs (so unknown names must be reported before
 * missing ones); a missing input names it; a wrong element type names the input and the expected
 * {@link ElementType}; a wrong shape names the input and the expected dimension; a wrong rank names
 * the input; inputs of different batch sizes fail; an unknown output names it and the model's
 * outputs.
 *
 * @since 0.1
 */
public interface AdapterValidationContract {
  /** The adapter, its sample inputs and the output to request. */
  ModelAdapterFixture fixture();

  @Test
  default void misspelledInputNameFailsNamingItAndTheModelInputs() {
    ModelAdapterFixture f = fixture();
    Map<String, Tensor> inputs = f.sampleInputs(2);
    String real = f.adapter().signature().inputs().get(0).name();
    String wrong = real + "_typo";
    Map<String, Tensor> renamed = new LinkedHashMap<>();
    inputs.forEach((k, v) -> renamed.put(k.equals(real) ? wrong : k, v));
    ModelException e = expectFailure(f, renamed, "input '" + real + "' renamed to '" + wrong + "'");
    assertMessageContains(e, wrong);
    assertMessageContains(e, real);
  }

  @Test
  default void missingInputFailsNamingIt() {
    ModelAdapterFixture f = fixture();
    Map<String, Tensor> inputs = new LinkedHashMap<>(f.sampleInputs(2));
    List<TensorSpec> specs = f.adapter().signature().inputs();
    String missing = specs.get(specs.size() - 1).name();
    inputs.remove(missing);
    ModelException e = expectFailure(f, inputs, "input '" + missing + "' left out");
    assertMessageContains(e, missing);
  }

  @Test
  default void wrongElementTypeFailsNamingTheInputAndTheExpectedType() {
    ModelAdapterFixture f = fixture();
    Map<String, Tensor> inputs = new LinkedHashMap<>(f.sampleInputs(2));
    TensorSpec spec = f.adapter().signature().inputs().get(0);
    Tensor t = inputs.get(spec.name());
    inputs.put(spec.name(), retyped(t));
    ModelException e =
        expectFailure(f, inputs, "input '" + spec.name() + "' given as " + retyped(t).type());
    assertMessageContains(e, spec.name());
    assertMessageContains(e, spec.type().name());
  }

  @Test
  default void wrongNonBatchDimensionFailsNamingTheInputAndTheExpectedDimension() {
    ModelAdapterFixture f = fixture();
    Map<String, Tensor> inputs = new LinkedHashMap<>(f.sampleInputs(2));
    for (TensorSpec spec : f.adapter().signature().inputs()) {
      long[] expected = spec.shape();
      for (int d = 1; d < expected.length; d++) {
        if (expected[d] > 0) {
          long[] shape = inputs.get(spec.name()).shape().clone();
          shape[d] = expected[d] + 1;
          inputs.put(spec.name(), zeros(spec.name(), spec.type(), shape));
          ModelException e =
              expectFailure(
                  f,
                  inputs,
                  "input '"
                      + spec.name()
                      + "' with shape "
                      + Arrays.toString(shape)
                      + " for "
                      + Arrays.toString(expected));
          assertMessageContains(e, spec.name());
          assertMessageContains(e, Long.toString(expected[d]));
          return;
        }
      }
    }
    assumeTrue(false, "no input has a fixed non-batch dimension");
  }

  @Test
  default void wrongRankFailsNamingTheInput() {
    ModelAdapterFixture f = fixture();
    Map<String, Tensor> inputs = new LinkedHashMap<>(f.sampleInputs(2));
    TensorSpec spec = f.adapter().signature().inputs().get(0);
    long[] shape = Arrays.copyOf(inputs.get(spec.name()).shape(), spec.shape().length + 1);
    shape[shape.length - 1] = 1;
    inputs.put(spec.name(), zeros(spec.name(), spec.type(), shape));
    ModelException e =
        expectFailure(
            f, inputs, "input '" + spec.name() + "' with shape " + Arrays.toString(shape));
    assertMessageContains(e, spec.name());
  }

  @Test
  default void inputsWithDifferentBatchSizesFail() {
    ModelAdapterFixture f = fixture();
    List<TensorSpec> specs = f.adapter().signature().inputs();
    assumeTrue(specs.size() >= 2, "the model has a single input");
    Map<String, Tensor> inputs = new LinkedHashMap<>(f.sampleInputs(3));
    String last = specs.get(specs.size() - 1).name();
    inputs.put(last, f.sampleInputs(2).get(last));
    expectFailure(f, inputs, "input '" + last + "' with 2 rows and the others with 3");
  }

  @Test
  default void unknownOutputFailsNamingItAndTheModelOutputs() {
    ModelAdapterFixture f = fixture();
    String wrong = f.expectedOutputName() + "_typo";
    ModelException e =
        assertThrows(
            ModelException.class,
            () -> f.adapter().run(f.sampleInputs(2), List.of(wrong)),
            "requesting unknown output '" + wrong + "' must fail with ModelException");
    assertMessageContains(e, wrong);
    assertMessageContains(e, f.expectedOutputName());
  }
}
