package io.dime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.core.job.JobListener;
import io.dime.core.job.JobProgress;
import io.dime.core.job.JobStart;
import java.nio.file.Path;

/**
 * What {@code dime explain} shows of a running job: the progress bar and messages on standard error
 * (unless quiet), and the {@code start} and {@code point} events of {@code --log-json}.
 */
final class CliJobListener implements JobListener {
  private final EventLog log;
  private final boolean human;
  private final EngineOptions engine;
  private final Path out;
  private final Path explanations;
  private final int modalities;
  private Progress progress;
  private JobStart start;

  /**
   * @param modalities the engine's number of modalities (a preset's samples depend on it)
   */
  CliJobListener(
      EventLog log,
      boolean human,
      EngineOptions engine,
      int modalities,
      Path out,
      Path explanations) {
    this.modalities = modalities;
    this.log = log;
    this.human = human;
    this.engine = engine;
    this.out = out;
    this.explanations = explanations;
  }

  /** What the job said when it started (null before). */
  JobStart start() {
    return start;
  }

  @Override
  public void started(JobStart s) {
    this.start = s;
    if (human && s.resumed() > 0) {
      System.err.println(
          "resuming: " + s.resumed() + " datapoints already explained in " + explanations);
    }
    if (human && s.changed() > 0) {
      System.err.println(
          "explaining again: "
              + s.changed()
              + " datapoints whose inputs (manifest line or files) changed since "
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
    log.write(e);
    progress = new Progress(Math.max(1, s.toExplain()), !human);
  }

  @Override
  public void explained(JobProgress p) {
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
  }

  /** Ends the progress bar's line (once). */
  void done() {
    if (progress != null) {
      progress.done();
      progress = null;
    }
  }
}
