package io.dime.core.job;

/**
 * What a job is about to do, once its records are read and its checkpoint restored.
 *
 * @param records records in the source
 * @param readable records that could be read
 * @param unreadable records that could not (each becomes an error result)
 * @param resumed records kept from an earlier run
 * @param changed records an earlier run explained from other inputs (explained again)
 * @param toExplain records this run explains
 * @param threads datapoints explained at once
 * @param passesPerPointOneClass the estimator's formula for one datapoint and one explained class
 */
public record JobStart(
    int records,
    int readable,
    int unreadable,
    int resumed,
    int changed,
    int toExplain,
    int threads,
    long passesPerPointOneClass) {}
