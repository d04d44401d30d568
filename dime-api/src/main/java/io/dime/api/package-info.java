/**
 * The values of DIME for callers: what goes in ({@link io.dime.api.Datapoint}, {@link
 * io.dime.api.Tensor}, the {@link io.dime.api.MultimodalModel} contract) and what comes out ({@link
 * io.dime.api.Explanation} with its classes, modalities and surrogate fits, {@link
 * io.dime.api.RecordError}, {@link io.dime.api.Provenance}), and the functional-ANOVA {@link
 * io.dime.api.Term}. Immutable records validated in their constructors; JDK only.
 *
 * <p>Plugin contracts are in {@link io.dime.spi}; the records and contracts of a whole explanation
 * job (record sources, result sinks, the run summary) in {@link io.dime.api.run}.
 *
 * @since 0.1
 */
package io.dime.api;
