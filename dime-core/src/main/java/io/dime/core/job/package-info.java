/**
 * The explanation job: {@link io.dime.core.job.ExplanationJob} explains every record of a {@link
 * io.dime.api.run.RecordSource} (a {@link io.dime.core.job.JsonlManifest}, a list, a Spark
 * partition) with a prepared engine and hands the results, in source order, to {@link
 * io.dime.api.run.ResultSink}s ({@link io.dime.core.job.ExplanationsFile} for {@code
 * explanations.jsonl}, {@link io.dime.core.job.SummaryFile} for {@code summary.json}, the HTML
 * report). It owns per-record errors, resume from a {@link io.dime.core.job.Checkpoint}, atomic
 * writes, progress ({@link io.dime.core.job.JobListener}), cancellation and the run's summary.
 */
package io.dime.core.job;
