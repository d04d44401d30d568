package io.dime.api;

/**
 * Wall-clock timings, kept apart from everything else: they are the only fields that differ between
 * two runs with the same seed.
 *
 * @since 0.1
 */
public record Timings(double totalSeconds, double modelSeconds) {}
