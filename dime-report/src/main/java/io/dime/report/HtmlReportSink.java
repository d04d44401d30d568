package io.dime.report;

import static java.util.Objects.requireNonNull;

import io.dime.api.ClassExplanation;
import io.dime.api.Explanation;
import io.dime.api.ModalityExplanation;
import io.dime.api.SurrogateFit;
import io.dime.api.run.JobResult;
import io.dime.api.run.ResultSink;
import io.dime.api.run.RunSummary;
import io.dime.spi.FeatureSet;
import io.dime.spi.Modality;
import io.dime.spi.View;
import io.dime.spi.ViewOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report.html} as a sink of an explanation job: each result becomes a card as it arrives,
 * its input and fits drawn by the modalities' own views from the features the explanation used
 * (made once per datapoint), and the page is written, atomically, when the job finishes.
 *
 * <pre>{@code
 * ExplanationJob.builder(dime)
 *     .source(source)
 *     .sink(new HtmlReportSink(out.resolve("report.html"), modalities, "DIME report", classNames))
 *     .build()
 *     .run();
 * }</pre>
 *
 * @since 0.1
 */
public final class HtmlReportSink implements ResultSink {
  /** Features marked per fit view; the panels' tables list the rest. */
  public static final int TOP_N = 10;

  private final Path file;
  private final List<Modality<?>> modalities;
  private final String title;
  private final List<String> classNames;
  private final List<DatapointReport> points = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private double seconds;

  /**
   * A report sink.
   *
   * @param file where the page goes; its folder must exist
   * @param modalities the pipeline's modalities, which draw the views
   * @param title the page's title
   * @param classNames the model's output names by index; may be empty
   */
  public HtmlReportSink(
      Path file, List<Modality<?>> modalities, String title, List<String> classNames) {
    this.file = requireNonNull(file, "file is null");
    this.modalities = List.copyOf(modalities);
    this.title = requireNonNull(title, "title is null");
    this.classNames = List.copyOf(classNames);
  }

  @Override
  public boolean usesFeatures() {
    return true;
  }

  @Override
  public void accept(JobResult r) {
    long t0 = System.nanoTime();
    if (!(r.result() instanceof Explanation e) || r.features().isEmpty()) {
      points.add(DatapointReport.of(r.result()));
    } else {
      DatapointReport.Builder b = DatapointReport.builder(e);
      for (Modality<?> m : modalities) {
        FeatureSet<?> fs = r.features().get(m.name());
        try {
          if (fs == null) {
            throw new IllegalStateException("no features");
          }
          addViews(b, m, fs, e);
        } catch (RuntimeException ex) {
          problems.add("record '" + e.id() + "', modality '" + m.name() + "': " + ex.getMessage());
        }
      }
      points.add(b.build());
    }
    seconds += (System.nanoTime() - t0) / 1e9;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void addViews(
      DatapointReport.Builder b, Modality<?> m, FeatureSet<?> features, Explanation e) {
    Modality raw = m;
    FeatureSet fs = features;
    b.input(m.name(), raw.view(fs, new double[fs.size()], ViewOptions.defaults("input")));
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
          View v = raw.view(fs, f.weights(), new ViewOptions(null, TOP_N, caption));
          b.view(c.classIndex(), m.name(), f.key(), v);
        }
      }
    }
  }

  @Override
  public void finish(RunSummary summary) throws IOException {
    long t0 = System.nanoTime();
    ReportInput input = ReportInput.of(summary, points).withTitle(title);
    if (!classNames.isEmpty()) {
      input = input.withClassNames(classNames);
    }
    HtmlReport.write(file, input);
    seconds += (System.nanoTime() - t0) / 1e9;
  }

  /** The problems met while drawing views (the report is written regardless). */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The time spent drawing views and writing the page, in seconds. */
  public double seconds() {
    return seconds;
  }

  /** The page's path. */
  public Path path() {
    return file;
  }
}
