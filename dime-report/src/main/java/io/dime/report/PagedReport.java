package io.dime.report;

import static io.dime.report.Html.escape;
import static io.dime.report.Html.escapeName;
import static java.util.Objects.requireNonNull;

import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.api.run.RunSummary;
import io.dime.spi.Palette;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A report of any size, written as its records come, whose size and memory are bounded by its
 * settings, not by the number of records. The cards of the first {@link Builder#maxCards} records
 * are drawn when their records arrive and go straight to a temporary file beside the report ({@code
 * NAME.cards.tmp}); nothing of a record is held once its card is written. Later records get no
 * card: they are counted, listed if they failed, and kept only while they are among the
 * worst-fitting explanations. What is held is bounded: the worst-fitting explanations' cards (at
 * most {@link Builder#worstCards}), the failed records the summary lists (at most the larger of
 * 1,000 and the cards per page, their messages cut at 2,000 chars) and two numbers per page. The
 * run's {@code explanations.jsonl} and {@code summary.json} always hold every record.
 *
 * <p>{@link #finish} writes the pages, each atomically (a temporary file, forced to the disk, then
 * renamed), the first last:
 *
 * <ul>
 *   <li>{@code report.html}: the summary of all the records (counts, the run's analyses, the failed
 *       records), then the cards of the first {@link Builder#cardsPerPage} records. When some
 *       records have their card elsewhere or none, it also has the index of the pages and the table
 *       of the worst-fitting explanations (see {@code WorstFits}: the lowest R² of their UC fits),
 *       whose cards that are not on the first page follow its cards.
 *   <li>{@code report-2.html}, {@code report-3.html}, ...: the cards of the next records, {@link
 *       Builder#cardsPerPage} each, up to {@link Builder#maxCards} cards in all, with links to the
 *       first page and the neighbouring ones.
 * </ul>
 *
 * <p>With at most one page of records the report is one page, byte for byte what {@link
 * HtmlReport#write(Path, ReportInput)} writes for the same records. Pages left from an earlier,
 * longer report of the same name are deleted when they carry the mark every page of a DIME report
 * has at its top (a generator meta element); a file of that name without it is someone else's and
 * is kept, with a warning (see {@link #warnings}); when the report needs such a name for one of its
 * own pages, {@link #finish} writes no page and fails naming the file. Not thread-safe: one thread
 * adds, then finishes.
 *
 * <pre>{@code
 * try (PagedReport report = PagedReport.builder(out.resolve("report.html")).build()) {
 *   for (ExplainResult r : results) {
 *     report.add(DatapointReport.of(r));
 *   }
 *   report.finish(runSummary);
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class PagedReport implements Closeable {
  /** Cards per page by default (the first page's included): about 4 MB of HTML. */
  public static final int DEFAULT_CARDS_PER_PAGE = 100;

  /** Records with a card by default: the first ones; the others are counted and summarised. */
  public static final int DEFAULT_MAX_CARDS = 500;

  /** Worst-fitting explanations the first page shows by default. */
  public static final int DEFAULT_WORST_CARDS = 20;

  /** Failed records the first page lists at least (with more cards per page, that many). */
  static final int MIN_LISTED_FAILURES = 1000;

  private final Path file;
  private final ReportInput settings;
  private final int cardsPerPage;
  private final int maxCards;
  private final Path cardsFile;
  private final FailureList failures;
  private final WorstFits worst;
  private final List<Long> pageStarts = new ArrayList<>();
  private final List<Integer> pageFailures = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final StringBuilder sb = new StringBuilder(16_384);
  private OutputStream cards;
  private long written;
  private int count;
  private long failed;
  private List<String> modalities;
  private Cards drawer;
  private boolean finished;

  private PagedReport(Builder b) {
    this.file = b.file.toAbsolutePath();
    this.settings = new ReportInput(b.title, Optional.empty(), b.classNames, b.palette, List.of());
    this.cardsPerPage = b.cardsPerPage;
    this.maxCards = b.maxCards;
    this.cardsFile = file.resolveSibling(file.getFileName() + ".cards.tmp");
    this.failures = new FailureList(Math.max(MIN_LISTED_FAILURES, b.cardsPerPage));
    this.worst = new WorstFits(b.worstCards);
    this.drawer = new Cards(settings, List.of());
  }

  /**
   * Starts a report.
   *
   * @param file the first page, e.g. {@code OUT/report.html}; its folder must exist, and the other
   *     pages go beside it
   */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** The first page's path. */
  public Path path() {
    return file;
  }

  /** The pages written by {@link #finish}, the first first; empty before. */
  public List<Path> files() {
    return List.copyOf(files);
  }

  /** The records added so far. */
  public int count() {
    return count;
  }

  /**
   * Whether the next record's card will be drawn if it is this explanation: when it is among the
   * first {@link Builder#maxCards} records, or among the worst-fitting ones so far. A caller can
   * skip drawing the views of a record whose card will not be drawn.
   */
  public boolean wantsCard(Explanation e) {
    if (count < maxCards) {
      return true;
    }
    return WorstFits.of(e).map(fit -> worst.wouldKeep(count, fit)).orElse(false);
  }

  /**
   * Adds one record: draws its card and writes it to the temporary file when it is among the first
   * {@link Builder#maxCards} records; past them, counts it, lists it if it failed, and keeps its
   * card only while it is among the worst-fitting explanations.
   *
   * @throws IOException when the temporary file cannot be written
   */
  public void add(DatapointReport d) throws IOException {
    requireNonNull(d, "d is null");
    if (finished) {
      throw new IllegalStateException("the report is finished");
    }
    int index = count;
    if (d.result() instanceof Explanation e && modalities == null) {
      modalities = e.modalities();
      drawer = new Cards(settings, modalities);
    }
    if (index >= maxCards) {
      count++;
      if (d.result() instanceof RecordError err) {
        failed++;
        failures.add(err, null);
      } else if (d.result() instanceof Explanation e) {
        Optional<WorstFits.Fit> fit = WorstFits.of(e);
        if (fit.isPresent() && worst.wouldKeep(index, fit.get())) {
          sb.setLength(0);
          drawer.render(sb, d, index);
          worst.offer(index, e.id(), fit.get(), sb.toString());
        }
      }
      return;
    }
    if (index % cardsPerPage == 0) {
      pageStarts.add(written);
      pageFailures.add(0);
    }
    int page = pageStarts.size();
    sb.setLength(0);
    drawer.render(sb, d, index);
    String card = sb.toString();
    if (cards == null) {
      Files.deleteIfExists(cardsFile); // a new file: never write through a link planted there
      cards =
          new BufferedOutputStream(
              new NamedStream(
                  Files.newOutputStream(
                      cardsFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  cardsFile),
              1 << 16);
    }
    byte[] bytes = card.getBytes(StandardCharsets.UTF_8);
    cards.write(bytes);
    written += bytes.length;
    count++;
    if (d.result() instanceof RecordError err) {
      failed++;
      pageFailures.set(page - 1, pageFailures.get(page - 1) + 1);
      failures.add(err, page == 1 ? "#card-" + index : link(page, index));
    } else if (d.result() instanceof Explanation e) {
      WorstFits.of(e).ifPresent(fit -> worst.offer(index, e.id(), fit, page == 1 ? null : card));
    }
  }

  /** The pages a report of {@code records} records has (at least 1). */
  int pagesFor(long records) {
    return (int) Math.max(1, (Math.min(records, maxCards) + cardsPerPage - 1) / cardsPerPage);
  }

  /** The link to card {@code index} on page {@code page} (at least 2). */
  private String link(int page, int index) {
    return Html.pageLink(pageFile(page).getFileName().toString(), "card-" + index);
  }

  /** The file of page {@code page}: {@code report-2.html} beside {@code report.html}. */
  Path pageFile(int page) {
    if (page == 1) {
      return file;
    }
    String name = file.getFileName().toString();
    String stem = name.endsWith(".html") ? name.substring(0, name.length() - 5) : name;
    return file.resolveSibling(stem + "-" + page + ".html");
  }

  /**
   * Adds a note about the whole report, which the first page's summary shows in red under "Checks
   * of this redraw" (what a redraw found: records missing from the run's files, lines it cannot
   * read). A report without notes has no such box.
   */
  public void note(String note) {
    notes.add(requireNonNull(note, "note is null"));
  }

  /**
   * Writes the pages: the later ones, then the first with the summary; deletes the temporary file
   * and pages left from an earlier, longer report that carry the mark of a DIME report page (a file
   * of such a name without it is kept and named in {@link #warnings}).
   *
   * @param summary the run's summary, or null for none (the counts are then the records')
   */
  public void finish(RunSummary summary) throws IOException {
    if (finished) {
      throw new IllegalStateException("the report is finished");
    }
    finished = true;
    closeCards();
    int pages = Math.max(1, pageStarts.size());
    for (int p = 2; p <= pages; p++) {
      Path page = pageFile(p);
      if (Files.exists(page, LinkOption.NOFOLLOW_LINKS) && !writtenHere(page)) {
        Files.deleteIfExists(cardsFile);
        throw new IOException(
            page
                + " exists and was not written by DIME (no DIME report mark at its top): this"
                + " report needs that name for its page "
                + p
                + "; move the file or name the report otherwise. No page was written");
      }
    }
    for (int p = 2; p <= pages; p++) {
      writeLaterPage(p, pages);
    }
    writeFirstPage(Optional.ofNullable(summary), pages);
    for (int p = pages + 1; Files.exists(pageFile(p), LinkOption.NOFOLLOW_LINKS); p++) {
      Path stale = pageFile(p);
      if (writtenHere(stale)) {
        Files.delete(stale); // a page of an earlier, longer report
      } else {
        warnings.add(
            "kept "
                + stale
                + ": named like a page of this report, but not written by DIME (no DIME report"
                + " mark at its top), so not deleted");
      }
    }
    Files.deleteIfExists(cardsFile);
  }

  /** How much of a file's start is read for the mark of a page this tool wrote. */
  private static final int MARK_WITHIN = 4096;

  /**
   * Whether {@code file} is a regular file with the mark of a DIME report page in its first {@value
   * #MARK_WITHIN} bytes: the generator meta element, or (pages of DIME before it) the
   * Content-Security-Policy meta element with the report's exact policy.
   */
  static boolean writtenHere(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    byte[] head = new byte[MARK_WITHIN];
    int n;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      n = in.readNBytes(head, 0, head.length);
    }
    String start = new String(head, 0, n, StandardCharsets.UTF_8);
    return start.startsWith("<!DOCTYPE html>")
        && (start.contains(Page.GENERATOR)
            || start.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\""
                    + escape(HtmlReport.CONTENT_SECURITY_POLICY)
                    + "\">"));
  }

  /**
   * What {@link #finish} found and left alone: files named like pages of an earlier, longer report
   * that this tool did not write, kept; one line each, empty before {@link #finish}.
   *
   * @since 0.3
   */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  private long end(int page) {
    return page < pageStarts.size() ? pageStarts.get(page) : written;
  }

  private void writeFirstPage(Optional<RunSummary> summary, int pages) throws IOException {
    List<String> mods = Page.modalityNames(null, summary);
    if (modalities != null) {
      mods = modalities;
    }
    sb.setLength(0);
    Page.open(sb, settings.title(), settings.title());
    Page.counts(sb, count - failed, failed, mods);
    Page.colours(sb, settings.palette());
    sb.append("</header>\n<main>\n");
    new SummarySection(summary, count - failed, failed, mods, failures)
        .notes(notes)
        .classNames(settings.classNames())
        .render(sb);
    boolean partial = pages > 1 || count > maxCards;
    if (partial) {
      pageIndex(sb, pages);
      worst.renderTable(sb);
    }
    try (AtomicHtml page = AtomicHtml.create(file)) {
      page.write(sb);
      if (!pageStarts.isEmpty()) {
        page.copy(cardsFile, 0, end(1));
      }
      if (partial) {
        laterWorstCards(page);
      }
      page.write(Page.TAIL);
      page.commit();
    }
    files.add(0, file);
  }

  /** The cards of the worst-fitting explanations that are not on the first page. */
  private void laterWorstCards(AtomicHtml page) throws IOException {
    boolean first = true;
    for (WorstFits.Entry e : worst.entries()) {
      if (e.card() != null) {
        if (first) {
          page.write(
              "<h2 class=\"section-head\" id=\"worst-cards\">Worst-fitting explanations not"
                  + " among this page's cards</h2>\n");
          first = false;
        }
        page.write(e.card());
      }
    }
  }

  /** The index of the pages, on the first page. */
  private void pageIndex(StringBuilder out, int pages) {
    int carded = carded();
    out.append("<nav class=\"summary pages\" id=\"pages\">\n<h2>All ")
        .append(count)
        .append(" records: ")
        .append(carded)
        .append(carded == 1 ? " card" : " cards")
        .append(" on ")
        .append(pageStarts.size())
        .append(pageStarts.size() == 1 ? " page" : " pages")
        .append("</h2>\n<p class=\"muted small\">This page has the summary of every record");
    if (carded > 0) {
      out.append(", the cards of the first ").append(Math.min(carded, cardsPerPage));
    }
    out.append(" and those of the worst-fitting explanations.");
    if (pages > 1) {
      out.append(" The cards of the next records are on the pages below, ")
          .append(cardsPerPage)
          .append(" each.");
    }
    if (count > carded) {
      out.append(" The last ")
          .append(count - carded)
          .append(count - carded == 1 ? " record has" : " records have")
          .append(" no card (the report shows the first ")
          .append(maxCards)
          .append("); every record is counted above, and written whole in explanations.jsonl.");
    }
    out.append("</p>");
    if (!pageStarts.isEmpty()) {
      out.append("<ol class=\"page-list\">");
      for (int p = 1; p <= pageStarts.size(); p++) {
        String name = pageFile(p).getFileName().toString();
        String href = p == 1 ? "#card-0" : Html.pageLink(name, null);
        out.append("<li><a href=\"")
            .append(escape(href))
            .append("\">")
            .append(p == 1 ? "this page" : escapeName(name))
            .append("</a>: records ");
        range(out, p);
        int f = pageFailures.get(p - 1);
        if (f > 0) {
          out.append(" <span class=\"stage\">").append(f).append(" failed</span>");
        }
        out.append("</li>");
      }
      out.append("</ol>");
    }
    out.append("\n</nav>\n");
  }

  /** The records with a card. */
  private int carded() {
    return Math.min(count, maxCards);
  }

  /** "201 to 400": the 1-based records of page {@code p}. */
  private void range(StringBuilder out, int p) {
    long first = (long) (p - 1) * cardsPerPage + 1;
    long last = Math.min((long) p * cardsPerPage, carded());
    out.append(first).append(" to ").append(last);
  }

  private void writeLaterPage(int p, int pages) throws IOException {
    sb.setLength(0);
    StringBuilder what = new StringBuilder(" \u00b7 records ");
    range(what, p);
    Page.open(sb, settings.title() + what, settings.title());
    sb.append("<p class=\"muted\">Records ");
    range(sb, p);
    sb.append(" of ").append(count).append(" (page ").append(p).append(" of ").append(pages);
    sb.append("); the summary of all is on the first page");
    Page.colours(sb, settings.palette());
    pager(sb, p, pages);
    sb.append("</header>\n<main>\n");
    try (AtomicHtml page = AtomicHtml.create(pageFile(p))) {
      page.write(sb);
      page.copy(cardsFile, pageStarts.get(p - 1), end(p));
      sb.setLength(0);
      pager(sb, p, pages);
      sb.append(Page.TAIL);
      page.write(sb);
      page.commit();
    }
    files.add(pageFile(p));
  }

  /** Links to the first, the previous and the next page. */
  private void pager(StringBuilder out, int p, int pages) {
    out.append("<nav class=\"pager\"><a href=\"")
        .append(escape(Html.pageLink(file.getFileName().toString(), null)))
        .append("\">summary (page 1)</a>");
    if (p > 2) {
      out.append(" \u00b7 <a href=\"")
          .append(escape(Html.pageLink(pageFile(p - 1).getFileName().toString(), null)))
          .append("\">previous (page ")
          .append(p - 1)
          .append(")</a>");
    }
    if (p < pages) {
      out.append(" \u00b7 <a href=\"")
          .append(escape(Html.pageLink(pageFile(p + 1).getFileName().toString(), null)))
          .append("\">next (page ")
          .append(p + 1)
          .append(")</a>");
    }
    out.append("</nav>\n");
  }

  private void closeCards() throws IOException {
    if (cards != null) {
      OutputStream c = cards;
      cards = null;
      c.close();
    }
  }

  /** The chars of the strings kept for the first page (listed failures, worst fits' cards). */
  long heldChars() {
    return failures.heldChars() + worst.heldChars();
  }

  /** Deletes the temporary file (a report closed before {@link #finish} writes no page). */
  @Override
  public void close() throws IOException {
    finished = true;
    try {
      closeCards();
    } finally {
      Files.deleteIfExists(cardsFile);
    }
  }

  /** The settings of a {@link PagedReport}. */
  public static final class Builder {
    private final Path file;
    private String title = ReportInput.DEFAULT_TITLE;
    private List<String> classNames = List.of();
    private Palette palette = Palette.DIVERGING;
    private int cardsPerPage = DEFAULT_CARDS_PER_PAGE;
    private int worstCards = DEFAULT_WORST_CARDS;
    private int maxCards = DEFAULT_MAX_CARDS;

    private Builder(Path file) {
      this.file = requireNonNull(file, "file is null");
    }

    /** The pages' title and heading (default {@value ReportInput#DEFAULT_TITLE}). */
    public Builder title(String newTitle) {
      this.title = requireNonNull(newTitle, "title is null");
      return this;
    }

    /** The model's output names by index (default none). */
    public Builder classNames(List<String> names) {
      this.classNames = List.copyOf(names);
      return this;
    }

    /** The colours of the value-decomposition bars (default diverging). */
    public Builder palette(Palette newPalette) {
      this.palette = requireNonNull(newPalette, "palette is null");
      return this;
    }

    /**
     * Cards per page, the first page's included (default {@value
     * PagedReport#DEFAULT_CARDS_PER_PAGE}); at least 1.
     */
    public Builder cardsPerPage(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("cards per page must be at least 1, found " + n);
      }
      this.cardsPerPage = n;
      return this;
    }

    /**
     * Worst-fitting explanations listed, with their cards, on the first page of a report of more
     * than one page (default {@value PagedReport#DEFAULT_WORST_CARDS}); 0 for none.
     */
    public Builder worstCards(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("worst cards must be at least 0, found " + n);
      }
      this.worstCards = n;
      return this;
    }

    /**
     * Records with a card: the first {@code n} (default {@value PagedReport#DEFAULT_MAX_CARDS}); 0
     * for none. The others are counted in the summary, listed there if they failed, and shown with
     * their card only if they are among the worst-fitting explanations; what is kept and written is
     * bounded by this number, whatever the number of records.
     */
    public Builder maxCards(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("max cards must be at least 0, found " + n);
      }
      this.maxCards = n;
      return this;
    }

    public PagedReport build() {
      return new PagedReport(this);
    }
  }
}
