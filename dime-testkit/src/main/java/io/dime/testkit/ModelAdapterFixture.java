package io.dime.testkit;

import io.dime.api.Tensor;
import io.dime.spi.ModelAdapter;
import java.util.Map;

/**
 * What the model adapter part contracts ({@link AdapterRunContract}, {@link
 * AdapterValidationContract}) test: an open adapter, valid inputs for it and the output to request.
 * {@link ModelAdapterContract} supplies one from the methods a plugin's test overrides.
 *
 * @since 0.1
 */
public interface ModelAdapterFixture {
  /** The adapter opened for the current test. Never null while a test runs. */
  ModelAdapter adapter();

  /**
   * Valid inputs for {@code batch} rows: one tensor per model input, keyed by input name, batch
   * dimension first.
   *
   * @param batch number of rows, at least 1
   */
  Map<String, Tensor> sampleInputs(int batch);

  /** Name of a model output that the tests request. Never null. */
  String expectedOutputName();

  /** Largest absolute difference tolerated between results that should agree. */
  double tolerance();
}
