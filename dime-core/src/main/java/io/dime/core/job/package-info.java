/**
 * The explanation job: {@link io.dime.core.job.ExplanationJob} explains every record of a {@link
 * io.dime.api.run.RecordSource} (a {@link io.dime.core.job.JsonlManifest}, a list) with a prepared
 * engine and hands the results, in source order, to {@link io.dime.api.run.ResultSink}s ({@link
 * io.dime.core.job.ExplanationsFile} for {@code explanations.jsonl}, {@link
 * io.dime.core.job.SummaryFile} for {@code summary.json}, the HTML report). It owns per-record
 * errors, resume from a {@link io.dime.core.job.Checkpoint}, atomic writes, progress ({@link
 * io.dime.core.job.JobListener}), cancellation and the run's summary. Its {@link
 * io.dime.core.job.RecordExplainer} explains the records: on local threads by default, or on other
 * machines ({@link io.dime.core.job.RemoteExplainer}, found through {@link
 * io.dime.core.job.RemoteExplainerProvider}), each of which makes the same engine from an {@link
 * io.dime.core.job.EngineRecipe} and the pool's {@link io.dime.core.job.PoolLines}.
 */
package io.dime.core.job;
