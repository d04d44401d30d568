/**
 * Contract tests for plugin authors. A plugin's test class extends the contract for what it
 * provides, {@link io.dime.testkit.ModelAdapterContract} for a model adapter or {@link
 * io.dime.testkit.ModalityContract} for a modality, supplies a small fixture (a model file, sample
 * inputs, a manifest field), and inherits tests of discovery, validation, thread safety and
 * provenance. A new plugin passes the kit or it is not done.
 *
 * <p>Each contract gathers part contracts, JUnit 5 test interfaces that check one part against a
 * fixture: for a modality {@link io.dime.testkit.FeaturizerContract}, {@link
 * io.dime.testkit.HiderContract}, {@link io.dime.testkit.EncoderContract} and {@link
 * io.dime.testkit.ViewContract} over a {@link io.dime.testkit.ModalityFixture}; for a model adapter
 * {@link io.dime.testkit.AdapterRunContract} and {@link io.dime.testkit.AdapterValidationContract}
 * over a {@link io.dime.testkit.ModelAdapterFixture}. Extending the whole contract runs them all;
 * the parts say which check belongs to which part.
 *
 * <p>This module depends only on {@code dime-api} and JUnit 5; add it to a plugin in test scope.
 *
 * @since 0.1
 */
package io.dime.testkit;
