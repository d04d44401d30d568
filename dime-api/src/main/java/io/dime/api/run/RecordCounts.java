package io.dime.api.run;

/**
 * How many records a job saw and what became of them.
 *
 * @param records non-blank manifest lines
 * @param explained records with an explanation (kept from an earlier run or made in this one)
 * @param failed records with an error
 * @param resumed explanations kept from an earlier run into the same folder
 * @param explainedThisRun records explained (or failed while being explained) in this run
 * @param staleLines kept explanations of ids no longer in the manifest (written after the others)
 * @param poolSize datapoints in the reference pool
 * @param poolRecordsSkipped pool records left out (unreadable, or encoded unlike the rest)
 * @since 0.1
 */
public record RecordCounts(
    int records,
    int explained,
    int failed,
    int resumed,
    int explainedThisRun,
    int staleLines,
    int poolSize,
    int poolRecordsSkipped) {}
