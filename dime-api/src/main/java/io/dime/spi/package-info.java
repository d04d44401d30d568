/**
 * The plugin contracts: what a jar implements to add a modality, a model adapter or a surrogate to
 * DIME. A plugin author needs only this package, the value records of {@code io.dime.api} and, for
 * tests, {@code dime-testkit}.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link io.dime.spi.DimePlugin}: the one entry class of a plugin jar, listed in {@code
 *       META-INF/services/io.dime.spi.DimePlugin} and found by {@link java.util.ServiceLoader}. It
 *       returns the factories the plugin contributes.
 *   <li>Factories make configured components from a name and {@link io.dime.spi.PluginConfig
 *       settings}: {@link io.dime.spi.ModalityFactory}, {@link io.dime.spi.ModelAdapterFactory},
 *       {@link io.dime.spi.SurrogateFactory}. Their names are stable lower_snake identifiers used
 *       in pipeline files.
 * </ul>
 *
 * <h2>The contracts</h2>
 *
 * <ul>
 *   <li>{@link io.dime.spi.Modality}: one kind of input. It reads a value from a manifest field
 *       ({@link io.dime.spi.ReadContext}), splits it into features and hides them ({@link
 *       io.dime.spi.FeatureSet}, with the reference pool's {@link io.dime.spi.PoolStatistics}),
 *       encodes values into model tensors ({@link io.dime.spi.Encoder}), gives LIME's sampling
 *       defaults ({@link io.dime.spi.SamplingHints}, {@link io.dime.spi.MaskDistribution}) and
 *       draws explanations as {@link io.dime.spi.View}s.
 *   <li>{@link io.dime.spi.ModelAdapter}: feeds named tensors to a model and returns its outputs,
 *       checked against its {@link io.dime.spi.ModelSignature}.
 *   <li>{@link io.dime.spi.Surrogate}: a local surrogate (LIME, KernelSHAP) that draws a {@link
 *       io.dime.spi.SampleDesign} and fits each target column ({@link io.dime.spi.ColumnFit}).
 * </ul>
 *
 * <h2>The view kit</h2>
 *
 * <p>Views are plain data, never HTML. {@link io.dime.spi.ViewOptions} says how to draw one (the
 * palette, the top n, the title), {@link io.dime.spi.Palette} turns weights into colours (the one
 * colour mapping every plugin shares, so panels read the same across a report) and {@link
 * io.dime.spi.ViewKit} checks a view's arguments and scales its weights. A plugin writes no colour
 * code of its own.
 *
 * <h2>Rules for every plugin</h2>
 *
 * <ul>
 *   <li>Implementations are immutable and thread-safe.
 *   <li>Unknown settings are rejected naming the setting and the known ones ({@link
 *       io.dime.spi.PluginConfig#requireKnown}); bad settings are {@link IllegalArgumentException}s
 *       naming the component and the setting.
 *   <li>Bad data is an {@link io.dime.api.InputException} naming the record; a model failure is a
 *       {@link io.dime.api.ModelException}.
 *   <li>Every random draw comes from the {@link java.util.SplittableRandom} passed in.
 *   <li>Every setting is reported in the component's provenance.
 * </ul>
 *
 * <p>Parameters and return values are never null unless their documentation says so.
 *
 * @since 0.1
 */
package io.dime.spi;
