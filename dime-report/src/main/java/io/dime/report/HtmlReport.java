package io.dime.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes {@code report.html}: one self-contained page with a summary of the run and one card per
 * datapoint (inputs, prediction, value decomposition, UC/MI/LIME panels per modality; an error card
 * for a record that failed).
 *
 * <p>The page loads nothing: no script, no font, no style sheet, no image file. Images are inlined
 * as {@code data:image/png;base64} URLs, styles are inline, and a Content-Security-Policy meta tag
 * ({@link #CONTENT_SECURITY_POLICY}) forbids everything else as a second line of defence. Every
 * string from the inputs is escaped with {@link Html#escape}. The output is deterministic: the same
 * input gives the same bytes, whether its records were made in memory or read back from JSON (open
 * maps are shown in key order, and integral numbers alike whatever their boxed type).
 *
 * <pre>{@code
 * List<DatapointReport> points = new ArrayList<>();
 * for (ExplainResult r : results) {          // explanations and record errors
 *   DatapointReport.Builder b = DatapointReport.builder(r);
 *   // b.input("image", view); b.view(classIndex, "image", "UC", view); b.figure(...)
 *   points.add(b.build());
 * }
 * HtmlReport.write(out.resolve("report.html"),
 *     ReportInput.of(runSummary, points).withClassNames(classNames));
 * }</pre>
 *
 * @since 0.1
 */
public final class HtmlReport {
  /** The policy in the page's meta tag: nothing but inline styles and data-URL images. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
          + "form-action 'none'";

  private HtmlReport() {}

  /**
   * The report as a string.
   *
   * @param input what to show, not null
   */
  public static String render(ReportInput input) {
    StringWriter out = new StringWriter();
    try {
      write(out, input);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not throw
    }
    return out.toString();
  }

  /**
   * Writes the report to a file, UTF-8, replacing it atomically (a reader never sees half a page):
   * one page with every datapoint's card. For a report of any size, written as the records come,
   * see {@link PagedReport}.
   *
   * @param file the file, e.g. {@code OUT/report.html}; its folder must exist
   * @param input what to show, not null
   */
  public static void write(Path file, ReportInput input) throws IOException {
    requireNonNull(file, "file is null");
    requireNonNull(input, "input is null");
    try (AtomicHtml page = AtomicHtml.create(file)) {
      // An OutputStreamWriter replaces what UTF-8 cannot hold instead of failing half way.
      Writer w = new OutputStreamWriter(page.stream(), StandardCharsets.UTF_8);
      write(w, input);
      page.commit();
    }
  }

  /**
   * Writes the report to a writer, card by card (the writer is not closed).
   *
   * @param out where to write, not null
   * @param input what to show, not null
   */
  public static void write(Writer out, ReportInput input) throws IOException {
    requireNonNull(out, "out is null");
    requireNonNull(input, "input is null");
    new Page(input).write(out);
    out.flush();
  }
}
