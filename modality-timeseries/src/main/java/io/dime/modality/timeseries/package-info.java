/**
 * The {@code timeseries} modality plugin: one- or multichannel series read from JSON arrays or CSV
 * files, explained by fixed windows per channel (or whole channels), hidden by the window mean,
 * linear interpolation or a baseline value, encoded as a FLOAT32 tensor [channels, length], and
 * drawn as series with weighted bands.
 *
 * <p>Entry points: {@link io.dime.modality.timeseries.TimeseriesPlugin} (found by {@link
 * java.util.ServiceLoader}), {@link io.dime.modality.timeseries.TimeseriesModality} (settings) and
 * the value type {@link io.dime.modality.timeseries.Series}.
 */
package io.dime.modality.timeseries;
