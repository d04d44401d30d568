/**
 * An example third-party DIME plugin, built outside the DIME tree: the {@code tabular} modality for
 * records with named numeric and categorical fields, one feature per field, hidden by a baseline
 * (numerics) or the pool's most frequent category (categoricals), encoded as one FLOAT32 tensor
 * with categoricals one-hot, and drawn as bars.
 *
 * <p>Entry points: {@link io.dime.examples.tabular.TabularPlugin} (found by {@link
 * java.util.ServiceLoader}), {@link io.dime.examples.tabular.TabularModality} (settings) and the
 * value type {@link io.dime.examples.tabular.Record}.
 */
package io.dime.examples.tabular;
