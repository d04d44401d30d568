/**
 * The self-contained HTML report of a DIME run ({@code report.html}): {@link
 * io.dime.report.HtmlReport} renders a {@link io.dime.report.ReportInput} (the summary and one
 * {@link io.dime.report.DatapointReport} per datapoint: its explanation line and the plugins'
 * views) into one page that loads nothing from anywhere, with every input string escaped by {@link
 * io.dime.report.Html}.
 *
 * <p>Depends on {@code dime-api} (views, palettes) and Jackson (explanation lines); never on the
 * modality plugins, whose views it renders from their plain data.
 *
 * @since 0.1
 */
package io.dime.report;
