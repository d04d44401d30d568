package io.dime.cli;

import io.dime.report.HtmlReportSink;
import io.dime.report.PagedReport;
import picocli.CommandLine.Option;

/**
 * The report's bounds, shared by {@code dime explain} and {@code dime report}: how many records get
 * a card, how many cards a page has, how many worst-fitting explanations the first page shows. The
 * report's size and the memory it takes are bounded by them, whatever the number of records;
 * explanations.jsonl and summary.json always hold every record.
 */
final class ReportOptions {
  @Option(
      names = "--report-cards",
      paramLabel = "K",
      defaultValue = "" + PagedReport.DEFAULT_MAX_CARDS,
      description =
          "report.html draws the cards of the first K records (default ${DEFAULT-VALUE}; 0: none);"
              + " the others are counted in its summary, listed there if they failed, and shown"
              + " only if among the worst-fitting explanations")
  int cards;

  @Option(
      names = "--report-page-cards",
      paramLabel = "N",
      defaultValue = "" + PagedReport.DEFAULT_CARDS_PER_PAGE,
      description =
          "cards per page of the report (default ${DEFAULT-VALUE}): the summary and the first N"
              + " are on report.html, the next N on report-2.html, and so on")
  int pageCards;

  @Option(
      names = "--report-worst",
      paramLabel = "N",
      defaultValue = "" + PagedReport.DEFAULT_WORST_CARDS,
      description =
          "the worst-fitting explanations (lowest UC R^2) whose cards report.html shows when some"
              + " records have their card on another page or none (default ${DEFAULT-VALUE}; 0:"
              + " none)")
  int worst;

  /** Refuses bad values, before any work. */
  void check() {
    if (cards < 0) {
      throw new IllegalArgumentException("--report-cards must be 0 or more, found " + cards);
    }
    if (pageCards < 1) {
      throw new IllegalArgumentException(
          "--report-page-cards must be 1 or more, found " + pageCards);
    }
    if (worst < 0) {
      throw new IllegalArgumentException("--report-worst must be 0 or more, found " + worst);
    }
  }

  /** The bounds set on a report sink. */
  HtmlReportSink.Builder apply(HtmlReportSink.Builder b) {
    return b.maxCards(cards).cardsPerPage(pageCards).worstCards(worst);
  }
}
