package io.dime.report;

import static io.dime.report.Html.escape;

import io.dime.api.Explanation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One rendering of a report: the page frame, then the summary section and the cards. */
final class Page {
  private static final String CSS = css();

  private final ReportInput input;
  private final List<String> modalities;

  Page(ReportInput input) {
    this.input = input;
    this.modalities = modalityNames(input);
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

  /**
   * Modality names: from the first explanation, else the keys of the summary's provenance in key
   * order (the order its JSON keeps).
   */
  private static List<String> modalityNames(ReportInput input) {
    for (DatapointReport d : input.datapoints()) {
      if (d.result() instanceof Explanation e) {
        return e.modalities();
      }
    }
    List<String> out = new ArrayList<>();
    input
        .summary()
        .ifPresent(s -> Fmt.sorted(s.provenance().modalities()).forEach(e -> out.add(e.getKey())));
    return out;
  }

  void write(Writer out) throws IOException {
    StringBuilder sb = new StringBuilder(16_384);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .append(escape(HtmlReport.CONTENT_SECURITY_POLICY))
        .append("\">\n")
        .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escape(input.title()))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<header class=\"page-head\"><h1>")
        .append(escape(input.title()))
        .append("</h1>");
    long failed = input.datapoints().stream().filter(DatapointReport::failed).count();
    sb.append("<p class=\"muted\">")
        .append(input.datapoints().size() - failed)
        .append(" explained, ")
        .append(failed)
        .append(" failed")
        .append(
            modalities.isEmpty() ? "" : "; modalities: " + escape(String.join(", ", modalities)))
        .append(". Colours: <span class=\"swatch\" style=\"background:")
        .append(input.palette().positive())
        .append("\"></span> raises the class's score, ")
        .append("<span class=\"swatch\" style=\"background:")
        .append(input.palette().negative())
        .append("\"></span> lowers it.</p></header>\n<main>\n");
    new SummarySection(input, modalities).render(sb);
    out.write(sb.toString());
    Cards cards = new Cards(input, modalities);
    List<DatapointReport> points = input.datapoints();
    for (int i = 0; i < points.size(); i++) {
      sb.setLength(0);
      cards.render(sb, points.get(i), i);
      out.write(sb.toString());
    }
    out.write("</main>\n</body>\n</html>\n");
  }
}
