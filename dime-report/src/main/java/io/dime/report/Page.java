package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;

import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.api.run.RunSummary;
import io.dime.spi.Palette;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One rendering of a report: the page frame, then the summary section and the cards. The frame's
 * pieces ({@link #open}, {@link #colours}, {@link #TAIL}) are shared with {@link PagedReport},
 * which writes the same page when it has at most one page of records.
 */
final class Page {
  /**
   * The mark at the top of every page (in its first lines), by which {@link PagedReport} knows the
   * pages it wrote from the files of others before deleting a page left from an earlier report.
   */
  static final String GENERATOR = "<meta name=\"generator\" content=\"DIME report\">";

  /** What ends every page. */
  static final String TAIL = "</main>\n</body>\n</html>\n";

  private static final String CSS = css();

  private final ReportInput input;
  private final List<String> modalities;

  Page(ReportInput input) {
    this.input = input;
    this.modalities = modalityNames(firstExplanation(input.datapoints()), input.summary());
  }

  private static String css() {
    try (InputStream in = Page.class.getResourceAsStream("report.css")) {
      if (in == null) {
        throw new IllegalStateException("report.css is missing from the dime-report jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Explanation firstExplanation(List<DatapointReport> points) {
    for (DatapointReport d : points) {
      if (d.result() instanceof Explanation e) {
        return e;
      }
    }
    return null;
  }

  /**
   * Modality names: from the first explanation, else the keys of the summary's provenance in key
   * order (the order its JSON keeps).
   */
  static List<String> modalityNames(Explanation first, Optional<RunSummary> summary) {
    if (first != null) {
      return first.modalities();
    }
    List<String> out = new ArrayList<>();
    summary.ifPresent(
        s -> Fmt.sorted(s.provenance().modalities()).forEach(e -> out.add(e.getKey())));
    return out;
  }

  /**
   * The page's start, up to the heading inside the page's header: the caller goes on with the
   * header's paragraph.
   *
   * @param documentTitle the {@code <title>}, not escaped
   * @param heading the {@code <h1>}, not escaped
   */
  static void open(StringBuilder sb, String documentTitle, String heading) {
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append(GENERATOR)
        .append('\n')
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(escape(HtmlReport.CONTENT_SECURITY_POLICY))
        .append("\">\n")
        .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escapeName(documentTitle))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<header class=\"page-head\"><h1>")
        .append(escapeName(heading))
        .append("</h1>");
  }

  /** The counts that open the first page's header paragraph. */
  static void counts(StringBuilder sb, long explained, long failed, List<String> modalities) {
    sb.append("<p class=\"muted\">")
        .append(explained)
        .append(" explained, ")
        .append(failed)
        .append(" failed")
        .append(
            modalities.isEmpty()
                ? ""
                : "; modalities: " + escapeName(String.join(", ", modalities)));
  }

  /** The colour legend that ends the header paragraph. */
  static void colours(StringBuilder sb, Palette palette) {
    sb.append(". Colours: <span class=\"swatch\" style=\"background:")
        .append(palette.positive())
        .append("\"></span> raises the class's score, ")
        .append("<span class=\"swatch\" style=\"background:")
        .append(palette.negative())
        .append("\"></span> lowers it.</p>");
  }

  /** Every failed record of a list of datapoints, each linked to its card on the same page. */
  static FailureList failures(List<DatapointReport> points) {
    FailureList out = new FailureList(Integer.MAX_VALUE);
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i).result() instanceof RecordError err) {
        out.add(err, "#card-" + i);
      }
    }
    return out;
  }

  void write(Writer out) throws IOException {
    StringBuilder sb = new StringBuilder(16_384);
    long failed = input.datapoints().stream().filter(DatapointReport::failed).count();
    long explained = input.datapoints().size() - failed;
    open(sb, input.title(), input.title());
    counts(sb, explained, failed, modalities);
    colours(sb, input.palette());
    sb.append("</header>\n<main>\n");
    new SummarySection(input.summary(), explained, failed, modalities, failures(input.datapoints()))
        .classNames(input.classNames())
        .render(sb);
    out.write(sb.toString());
    Cards cards = new Cards(input, modalities);
    List<DatapointReport> points = input.datapoints();
    for (int i = 0; i < points.size(); i++) {
      sb.setLength(0);
      cards.render(sb, points.get(i), i);
      out.write(sb.toString());
    }
    out.write(TAIL);
  }
}
