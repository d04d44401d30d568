package io.dime.core.job;

import io.dime.api.ExplainResult;

/**
 * One record explained (or failed) in this run, as a progress bar or a log needs it.
 *
 * @param index the record's position in the source, 0-based (its line in {@code
 *     explanations.jsonl})
 * @param line the record's line in its manifest (0 when unknown)
 * @param result its explanation or error
 * @param done records explained so far in this run, this one included
 * @param total records this run explains
 * @param elapsedSeconds since the first record of this run was started
 * @param rate records per second so far
 * @param etaSeconds the time left at this rate
 */
public record JobProgress(
    int index,
    int line,
    ExplainResult result,
    int done,
    int total,
    double elapsedSeconds,
    double rate,
    double etaSeconds) {}
