package io.dime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Explanation;
import io.dime.api.Provenance;
import io.dime.api.RecordError;
import io.dime.api.run.SourceRecord;
import io.dime.core.io.Json;
import io.dime.core.job.JobListener;
import io.dime.core.job.JobProgress;
import io.dime.core.job.JobStart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code dime explain} shows of a running job: the progress bar and messages on standard error
 * (unless quiet), and the {@code start} (with the run's provenance) and {@code point} events of
 * {@code --log-json}. It writes the run's {@code job.json} when the job starts.
 */
final class CliJobListener implements JobListener {
  private final EventLog log;
  private final boolean human;
  private final EngineOptions engine;
  private final Path out;
  private final Path explanations;
  private final JobFile job;
  private final Supplier<Provenance> provenance;
  private final int modalities;
  private final boolean errorsShown;
  private Progress progress;
  private JobStart start;
  private int failedShown;
  private int failedNotShown;
  private List<SourceRecord> unreadable = List.of();

  /** Failed records whose error is written to standard error; the rest are counted. */
  static final int ERRORS_SHOWN = 10;

  /**
   * @param modalities the engine's number of modalities (a preset's samples depend on it)
   * @param errorsShown whether failed records are named on standard error (not with --quiet, nor
   *     when the JSON log takes it: its point events carry them)
   * @param job the run's {@code job.json}, written into {@code out} when the job starts: after the
   *     checkpoint accepted this run's settings, so that a rerun refused for other settings leaves
   *     the file of the run whose explanations the folder holds
   * @param provenance the engine's provenance (prepared when the job starts), for job.json and the
   *     start event
   */
  CliJobListener(
      EventLog log,
      boolean human,
      boolean errorsShown,
      EngineOptions engine,
      int modalities,
      Path out,
      Path explanations,
      JobFile job,
      Supplier<Provenance> provenance) {
    this.job = job;
    this.provenance = provenance;
    this.errorsShown = errorsShown;
    this.modalities = modalities;
    this.log = log;
    this.human = human;
    this.engine = engine;
    this.out = out;
    this.explanations = explanations;
  }

  /**
   * The records that could not be read, whose errors are known before the job starts: {@link
   * #started} names them (the job delivers them to the sinks, not to {@link #explained}).
   */
  void records(List<SourceRecord> records) {
    unreadable = records.stream().filter(r -> !r.readable()).toList();
  }

  /** "1 datapoint", "5 datapoints". */
  static String datapoints(int n) {
    return n + (n == 1 ? " datapoint" : " datapoints");
  }

  /** What the job said when it started (null before). */
  JobStart start() {
    return start;
  }

  @Override
  public void started(JobStart s) {
    this.start = s;
    Provenance p = provenance.get();
    try {
      job.withProvenance(p).write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (errorsShown) {
      for (SourceRecord r : unreadable) {
        r.error().ifPresent(e -> showError(e, r.line()));
      }
    }
    if (human && s.resumed() > 0) {
      System.err.println(
          "resuming: " + datapoints(s.resumed()) + " already explained in " + explanations);
    }
    if (human && s.changed() > 0) {
      System.err.println(
          "explaining again: "
              + datapoints(s.changed())
              + " whose inputs (manifest line or files) changed since "
              + explanations
              + " was written");
    }
    ObjectNode e = log.event("start");
    e.put("records", s.records());
    e.put("readable", s.readable());
    e.put("unreadable", s.unreadable());
    e.put("resumed", s.resumed());
    e.put("changed", s.changed());
    e.put("total", s.toExplain());
    e.put("threads", s.threads());
    e.put("estimator", engine.estimatorName());
    e.put("references", engine.references());
    e.put("samples", engine.samples(modalities));
    if (!engine.presetChosen().isDefault()) {
      e.put("preset", engine.presetChosen().name());
    }
    e.put("replicates", engine.replicates);
    e.put("passesPerPointOneClass", s.passesPerPointOneClass());
    e.put("out", out.toString());
    e.set("provenance", Json.mapper().valueToTree(p));
    log.write(e);
    // the records that could not be read get no point event (the job never explains them): each
    // gets its own, so that a log (on standard error, where their text lines are not shown) names
    // them and their problem, not only their count
    for (SourceRecord r : unreadable) {
      r.error().ifPresent(err -> log.write(unreadableEvent(r.line(), err)));
    }
    progress = new Progress(Math.max(1, s.toExplain()), !human);
  }

  /** A kept record whose inputs changed while the job ran: shown and logged as it fails. */
  @Override
  public void unreadable(io.dime.api.run.JobResult r) {
    if (r.result() instanceof RecordError err) {
      if (errorsShown) {
        showError(err, r.line());
      }
      log.write(unreadableEvent(r.line(), err));
    }
  }

  /** The {@code unreadable} event of a record that could not be read: its id, line and error. */
  private ObjectNode unreadableEvent(int line, RecordError err) {
    ObjectNode n = log.event("unreadable");
    n.put("id", err.recordId().orElse(null));
    n.put("line", line);
    n.put("ok", false);
    ObjectNode e = n.putObject("error");
    e.put("stage", err.stage());
    e.put("message", err.message());
    return n;
  }

  @Override
  public void explained(JobProgress p) {
    if (p.result() instanceof RecordError e && errorsShown) {
      showError(e, p.line());
    }
    progress.update(p.done());
    if (!log.enabled()) {
      return;
    }
    ObjectNode n = log.event("point");
    n.put("id", p.result().recordId().orElse(null));
    n.put("index", p.index());
    n.put("line", p.line());
    n.put("done", p.done());
    n.put("total", p.total());
    if (p.result() instanceof Explanation e && e.timings() != null) {
      n.put("seconds", EventLog.finite(e.timings().totalSeconds()));
    } else {
      n.putNull("seconds");
    }
    n.put("elapsedSeconds", p.elapsedSeconds());
    n.put("rate", EventLog.finite(p.rate()));
    n.put("etaSeconds", EventLog.finite(p.etaSeconds()));
    n.put("ok", p.result() instanceof Explanation);
    if (p.result() instanceof RecordError e) {
      ObjectNode err = n.putObject("error");
      err.put("stage", e.stage());
      err.put("message", e.message());
    }
    log.write(n);
  }

  @Override
  public void finished(io.dime.core.job.JobOutcome outcome) {
    done();
    if (failedNotShown > 0) {
      System.err.println(
          "dime: "
              + failedNotShown
              + " more records failed; each has its error line in "
              + explanations);
      failedNotShown = 0;
    }
  }

  /**
   * A failed record on standard error as it fails (the first {@value #ERRORS_SHOWN}): its line,
   * stage and message, which names it. The progress bar's line is cleared first and redrawn by the
   * next update.
   */
  private void showError(RecordError e, int line) {
    if (failedShown >= ERRORS_SHOWN) {
      failedNotShown++;
      return;
    }
    failedShown++;
    String where = line > 0 ? "line " + line + ", " : "";
    String text = "dime: error: " + where + "stage " + e.stage() + ": " + e.message();
    if (progress != null) {
      progress.clear();
    }
    System.err.println(Terminal.line(text));
    System.err.flush();
  }

  /** Ends the progress bar's line (once). */
  void done() {
    if (progress != null) {
      progress.done();
      progress = null;
    }
  }
}
