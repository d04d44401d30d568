/**
 * The engine's random streams: every draw comes from a {@link java.util.SplittableRandom} derived
 * from (seed, datapoint id, modality, purpose, index), so the same seed gives the same explanation
 * whatever the thread count or the order of datapoints.
 */
package io.dime.core.random;
