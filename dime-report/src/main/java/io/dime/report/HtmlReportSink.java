package io.dime.report;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.api.run.JobResult;
import io.dime.api.run.ResultSink;
import io.dime.api.run.RunSummary;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.Palette;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report.html} as a sink of an explanation job: each result becomes a card as it arrives,
 * its input and fits drawn by the modalities' own views from the features the explanation used
 * (made once per datapoint), and is written at once to a temporary file beside the report; when the
 * job finishes, the pages are written, each atomically (see {@link PagedReport}: the first page has
 * the summary of every record and the first {@link Builder#cardsPerPage} cards, the others the next
 * ones, up to {@link Builder#maxCards} cards in all, and the worst-fitting explanations). The views
 * of a record that gets no card are not drawn. Memory and the pages' size stay bounded whatever the
 * number of records.
 *
 * <pre>{@code
 * ExplanationJob.builder(dime)
 *     .source(source)
 *     .sink(HtmlReportSink.builder(out.resolve("report.html"), modalities)
 *         .title("DIME report")
 *         .classNames(classNames)
 *         .build())
 *     .build()
 *     .run();
 * }</pre>
 *
 * @since 0.1
 */
public final class HtmlReportSink implements ResultSink {
  /** Features a fit's view colours at most (a heat map; the panel says how many it colours). */
  public static final int TOP_N = 10;

  /** Problems kept word for word; the rest are counted. */
  static final int MAX_PROBLEMS = 100;

  private final List<Modality<?>> modalities;
  private final PagedReport report;

  /** The palette every view is drawn in; null when the modalities set different ones. */
  private final String viewPalette;

  private final List<String> problems = new ArrayList<>();
  private long moreProblems;
  private double seconds;

  /**
   * A report sink with the default pages ({@value PagedReport#DEFAULT_CARDS_PER_PAGE} cards each).
   *
   * @param file where the first page goes; its folder must exist
   * @param modalities the pipeline's modalities, which draw the views
   * @param title the page's title
   * @param classNames the model's output names by index; may be empty
   */
  public HtmlReportSink(
      Path file, List<Modality<?>> modalities, String title, List<String> classNames) {
    this(builder(file, modalities).title(title).classNames(classNames));
  }

  private HtmlReportSink(Builder b) {
    this.modalities = b.modalities;
    ReportPalette chosen =
        b.palette != null ? ReportPalette.given(b.palette) : ReportPalette.of(b.modalities);
    b.pages.palette(chosen.page());
    this.viewPalette = chosen.views();
    this.report = b.pages.build();
    chosen.note().ifPresent(report::note);
  }

  /**
   * Starts a report sink.
   *
   * @param file where the first page goes; its folder must exist
   * @param modalities the pipeline's modalities, which draw the views
   */
  public static Builder builder(Path file, List<Modality<?>> modalities) {
    return new Builder(file, modalities);
  }

  @Override
  public boolean usesFeatures() {
    return true;
  }

  @Override
  public void accept(JobResult r) throws IOException {
    accept(r, List.of());
  }

  /**
   * Adds a result with notes its card shows above its inputs, in red (see {@link
   * DatapointReport#notes}): what a redraw found about the record ("its input changed since the
   * run", with its features left out so that no input view is drawn).
   */
  public void accept(JobResult r, List<String> notes) throws IOException {
    long t0 = System.nanoTime();
    if (!(r.result() instanceof Explanation e) || r.features().isEmpty() || !report.wantsCard(e)) {
      report.add(DatapointReport.of(r.result()).withNotes(notes));
    } else {
      DatapointReport.Builder b = DatapointReport.builder(e);
      for (Modality<?> m : modalities) {
        FeatureSet<?> fs = r.features().get(m.name());
        try {
          if (fs == null) {
            throw new IllegalStateException("no features");
          }
          addViews(b, m, fs, e, viewPalette);
        } catch (RuntimeException ex) {
          problem("record '" + e.id() + "', modality '" + m.name() + "': " + ex.getMessage());
        }
      }
      notes.forEach(b::note);
      report.add(b.build());
    }
    seconds += (System.nanoTime() - t0) / 1e9;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void addViews(
      DatapointReport.Builder b,
      Modality<?> m,
      FeatureSet<?> features,
      Explanation e,
      String palette) {
    Modality raw = m;
    FeatureSet fs = features;
    b.input(m.name(), raw.view(fs, new double[fs.size()], new ViewOptions(palette, 0, "input")));
    for (ClassExplanation c : e.classes()) {
      for (ModalityExplanation me : c.modalities()) {
        if (!m.name().equals(me.modality())) {
          continue;
        }
        for (SurrogateFit f : me.fits()) {
          if (f.weights().length != fs.size()) {
            throw new IllegalStateException(
                "fit "
                    + f.key()
                    + " has "
                    + f.weights().length
                    + " weights for "
                    + fs.size()
                    + " features");
          }
          String caption = f.key() + " " + m.name() + ", " + c.className();
          // a score of NaN: the target does not vary beyond rounding, and the weights are rounding
          // (1e-30), which a view would colour against the largest of them in full
          double[] w = Double.isNaN(f.score()) ? new double[fs.size()] : f.weights();
          View v = raw.view(fs, w, new ViewOptions(palette, TOP_N, caption));
          b.view(c.classIndex(), m.name(), f.key(), v);
        }
      }
    }
  }

  private void problem(String problem) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(problem);
    } else {
      moreProblems++;
    }
  }

  /** A note about the whole report, shown in its summary (see {@link PagedReport#note}). */
  public void note(String note) {
    report.note(note);
  }

  @Override
  public void finish(RunSummary summary) throws IOException {
    long t0 = System.nanoTime();
    report.finish(summary);
    report.warnings().forEach(this::problem);
    seconds += (System.nanoTime() - t0) / 1e9;
  }

  /** Deletes the temporary file of the cards, if a job stopped before {@link #finish}. */
  @Override
  public void close() throws IOException {
    report.close();
  }

  /**
   * The problems met while drawing views and the files {@link #finish} left beside the report (see
   * {@link PagedReport#warnings}; the report is written regardless): the first {@value
   * #MAX_PROBLEMS}, then how many more there were.
   */
  public List<String> problems() {
    List<String> out = new ArrayList<>(problems);
    if (moreProblems > 0) {
      out.add(moreProblems + " more problems like these");
    }
    return out;
  }

  /** The time spent drawing views and writing the page, in seconds. */
  public double seconds() {
    return seconds;
  }

  /**
   * The files a report of {@code records} records would need for its later pages ({@code
   * report-2.html}, ...) that are there and were not written by DIME: {@link #finish} refuses to
   * write over them. A job checks this before its work, not after it.
   */
  public List<Path> othersPages(long records) throws IOException {
    List<Path> found = new ArrayList<>();
    for (int p = 2; p <= report.pagesFor(records); p++) {
      Path page = report.pageFile(p);
      if (Files.exists(page, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          && !PagedReport.writtenHere(page)) {
        found.add(page);
      }
    }
    return found;
  }

  /** The first page's path. */
  public Path path() {
    return report.path();
  }

  /** The pages written, the first first; empty before {@link #finish}. */
  public List<Path> files() {
    return report.files();
  }

  /** The settings of an {@link HtmlReportSink}: those of its {@link PagedReport}. */
  public static final class Builder {
    private final List<Modality<?>> modalities;
    private final PagedReport.Builder pages;
    private Palette palette;

    private Builder(Path file, List<Modality<?>> modalities) {
      this.modalities = List.copyOf(modalities);
      this.pages = PagedReport.builder(file);
    }

    /** The pages' title and heading. */
    public Builder title(String title) {
      pages.title(title);
      return this;
    }

    /** The model's output names by index; may be empty. */
    public Builder classNames(List<String> classNames) {
      pages.classNames(classNames);
      return this;
    }

    /**
     * The palette of the whole page, its legend, bars and every view. Without it, the palette the
     * modalities' own {@code palette} settings agree on (an image modality's, say), so that the
     * legend means what the heat maps show; the default palette when none sets one.
     */
    public Builder palette(Palette newPalette) {
      this.palette = java.util.Objects.requireNonNull(newPalette, "palette is null");
      return this;
    }

    /** See {@link PagedReport.Builder#cardsPerPage}. */
    public Builder cardsPerPage(int n) {
      pages.cardsPerPage(n);
      return this;
    }

    /** See {@link PagedReport.Builder#maxCards}. */
    public Builder maxCards(int n) {
      pages.maxCards(n);
      return this;
    }

    /** See {@link PagedReport.Builder#worstCards}. */
    public Builder worstCards(int n) {
      pages.worstCards(n);
      return this;
    }

    public HtmlReportSink build() {
      return new HtmlReportSink(this);
    }
  }
}
