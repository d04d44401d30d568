/**
 * Records and contracts of one explanation job: where records come from ({@link
 * io.dime.api.run.RecordSource}, {@link io.dime.api.run.SourceRecord}), where results go ({@link
 * io.dime.api.run.ResultSink}, {@link io.dime.api.run.JobResult}), and the job as a whole: {@link
 * io.dime.api.run.RunSummary} (what {@code summary.json} holds) and its parts: record counts, pass
 * totals, the global variance shares, the hidden-feature check and timings. Plain values with no
 * behaviour beyond derived figures; the job in {@code dime-core} makes them, the report renders
 * them.
 *
 * @since 0.1
 */
package io.dime.api.run;
