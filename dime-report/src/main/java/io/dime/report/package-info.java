/**
 * The self-contained HTML report of a DIME run ({@code report.html}): {@link
 * io.dime.report.HtmlReport} renders a {@link io.dime.report.ReportInput} (the run's {@link
 * io.dime.api.run.RunSummary} and one {@link io.dime.report.DatapointReport} per datapoint: its
 * {@link io.dime.api.Explanation} or {@link io.dime.api.RecordError} and the plugins' {@link
 * io.dime.spi.View views}) into one page that loads nothing from anywhere, with every input string
 * escaped by {@link io.dime.report.Html}.
 *
 * <p>Renders api records and views; depends on {@code dime-api} only (no JSON: reading {@code
 * explanations.jsonl} and {@code summary.json} into records is {@code dime-core}'s), never on the
 * modality plugins, whose views it renders from their plain data.
 *
 * @since 0.1
 */
package io.dime.report;
