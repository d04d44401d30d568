package io.dime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.run.HiddenModality;
import io.dime.api.run.RunSummary;
import io.dime.core.Dime;
import io.dime.core.Targets;
import io.dime.core.job.ExplanationJob;
import io.dime.core.job.ExplanationsFile;
import io.dime.core.job.JobOutcome;
import io.dime.core.job.RemoteExplainer;
import io.dime.core.job.SummaryFile;
import io.dime.report.HtmlReportSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One {@code dime explain} run once its engine is built: the explanation job with the output
 * folder's sinks ({@code explanations.jsonl}, {@code summary.json}, {@code report.html}) and the
 * command line's progress, then what the user reads on standard error.
 */
final class ExplainRun {
  private final ExplainCommand cmd;
  private final JobInputs in;
  private final Targets targets;
  private final EventLog log;

  ExplainRun(ExplainCommand cmd, JobInputs in, Targets targets, EventLog log) {
    this.cmd = cmd;
    this.in = in;
    this.targets = targets;
    this.log = log;
  }

  /**
   * Runs the job; returns the exit code (0 all explained, 1 some records failed, 3 the job stopped
   * itself).
   *
   * @param remote what explains the records elsewhere (with its own sinks), or null for this
   *     machine's threads
   */
  int run(Dime dime, long started, RemoteExplainer remote) throws IOException {
    // Human progress and messages: off with --quiet, and when the JSON log takes standard error.
    boolean human = !cmd.quiet && !log.toStderr();
    Path out = cmd.out;
    Files.createDirectories(out);
    try (OutputLock lock = OutputLock.take(out)) {
      return runLocked(dime, started, remote, human, out);
    }
  }

  private int runLocked(Dime dime, long started, RemoteExplainer remote, boolean human, Path out)
      throws IOException {
    ExplanationsFile explanations = new ExplanationsFile(out.resolve(ExplainCommand.EXPLANATIONS));
    HtmlReportSink report =
        cmd.reportOptions
            .apply(HtmlReportSink.builder(out.resolve(ExplainCommand.REPORT), in.modalities()))
            .title(title(cmd.data))
            .classNames(in.pipe().classNames() == null ? List.of() : in.pipe().classNames())
            .build();
    // the report refuses, when the job ends, a page name held by a file DIME did not write: said
    // after all the work, with "a rerun resumes", which refused it again
    List<Path> others = report.othersPages(in.records().size());
    if (!others.isEmpty()) {
      throw new IllegalArgumentException(
          others.get(0)
              + " exists and was not written by DIME (no DIME report mark at its top), and this"
              + " run's report needs that name for one of its pages; move the file, or choose"
              + " another --out. Nothing was explained");
    }
    warnIfNotDeterministic(dime);
    CliJobListener listener =
        new CliJobListener(
            log,
            human,
            human,
            cmd.engine,
            dime.modalityNames().size(),
            out,
            explanations.path(),
            cmd.jobFile(),
            dime::provenance);
    listener.records(in.records());
    ExplanationJob.Builder builder =
        ExplanationJob.builder(dime)
            .source(in.source(cmd.data.toString()))
            .targets(targets)
            .threads(cmd.engine.threadCount())
            .checkpoint(explanations)
            .sink(new SummaryFile(out.resolve(ExplainCommand.SUMMARY)))
            .sink(report)
            .listener(listener)
            .pool(in.pool().points().size(), in.pool().skipped(), in.poolDescription())
            .startedAt(started)
            .maxModelFailures(cmd.maxModelFailures);
    if (remote != null) {
      builder.explainer(remote);
      remote.sinks().forEach(builder::sink);
    }
    JobOutcome outcome = runJob(builder.build(), explanations, listener);
    if (outcome.stopped().isPresent()) {
      return stopped(outcome, explanations);
    }
    RunSummary summary = outcome.summary().orElseThrow();
    warnAboutHiddenStates(summary, dime.outputNames());
    for (String problem : report.problems()) {
      System.err.println("dime: report: " + Terminal.line(problem));
    }
    writeEnd(summary, outcome, listener, started);
    if (human) {
      System.err.println(
          "explained "
              + summary.counts().explained()
              + ", failed "
              + summary.counts().failed()
              + "; wrote "
              + explanations.path()
              + ", "
              + out.resolve(ExplainCommand.SUMMARY)
              + String.format(
                  Locale.ROOT,
                  " and %s; the job took %.1f s (the report %.1f s of it)",
                  report.path(),
                  (System.nanoTime() - started) / 1e9,
                  report.seconds()));
    }
    return outcome.exitCode();
  }

  /** Runs the job; a refusal before any work is a usage error, any other failure ends the job. */
  private JobOutcome runJob(
      ExplanationJob job, ExplanationsFile explanations, CliJobListener listener)
      throws IOException {
    // a signal (SIGTERM, Ctrl-C) ends the JVM without unwinding this call: say what is kept
    Thread onSignal =
        new Thread(
            () -> {
              listener.done(); // the message starts its own line, not the progress bar's
              System.err.println(
                  "dime: stopped by a signal before the job ended; the records explained so far"
                      + " are kept in "
                      + explanations.path()
                      + "; rerun the same command to resume");
            },
            "dime-signal");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      return job.run();
    } catch (io.dime.core.job.CheckpointRefusedException e) {
      // refused before any record was explained: a usage error (exit 2), nothing to resume
      ObjectNode abort = log.event("end");
      abort.put("exitCode", Main.EXIT_USAGE);
      abort.put("error", String.valueOf(e.getMessage()));
      log.write(abort);
      throw e;
    } catch (IOException | RuntimeException e) {
      // the file system's exceptions name only a path, and a sink's arrive wrapped (their class
      // name was printed: "java.nio.file.NoSuchFileException: OUT/report.html.cards.tmp")
      String why = Main.describe(e);
      OutOfMemoryError oom = outOfMemory(e);
      if (oom != null) {
        // a worker's, arrived wrapped: say what running out of heap means and what to change,
        // as Main does for the main thread's
        why = Main.outOfMemoryWhy(oom);
      }
      ObjectNode abort = log.event("end");
      abort.put("exitCode", Main.EXIT_JOB_FAILED);
      abort.put("error", why);
      log.write(abort);
      throw new JobFailedException(
          "the job failed: "
              + why
              + " (the records explained so far are kept in "
              + explanations.path()
              + "; a rerun resumes)",
          e);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is ending (the signal came): the hook runs
      }
      listener.done();
    }
  }

  /** The out-of-memory error among e's causes, or null. */
  static OutOfMemoryError outOfMemory(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < 64; depth++, t = t.getCause()) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
    }
    return null;
  }

  /** Says why the job stopped itself, and returns exit code 3. */
  private int stopped(JobOutcome outcome, ExplanationsFile explanations) {
    String why = outcome.stopped().orElseThrow();
    ObjectNode end = log.event("end");
    end.put("explained", outcome.explained());
    end.put("failed", outcome.failed());
    end.put("seconds", outcome.explainSeconds());
    end.put("exitCode", outcome.exitCode());
    end.put("error", why);
    log.write(end);
    System.err.println(
        "dime: the job stopped: "
            + why
            + "; the records explained so far are kept in "
            + explanations.path()
            + " (explained "
            + outcome.explained()
            + ", failed "
            + outcome.failed()
            + "). Fix the model and rerun the same command to resume, or raise"
            + " --max-model-failures");
    return outcome.exitCode();
  }

  /** The report's title: the manifest's name. */
  static String title(Path data) {
    return "DIME report: " + data.getFileName();
  }

  /** Pool records run twice by {@link #warnIfNotDeterministic}. */
  static final int DETERMINISM_RECORDS = 8;

  /**
   * Warns when the model gives another output the second time it is called on the same pool
   * records, or to a record alone than in a batch ({@link Dime#determinism}); a model that fails on
   * them says so in the job instead.
   */
  private static void warnIfNotDeterministic(Dime dime) {
    java.util.Optional<io.dime.core.ModelInconsistency> found;
    try {
      found = dime.determinism(DETERMINISM_RECORDS);
    } catch (RuntimeException e) {
      return; // the job meets the same failure and names it with its records
    }
    found.ifPresent(
        f ->
            System.err.println(
                f.batchDependent()
                    ? "dime: warning: the model's output for a row depends on the other rows of"
                        + " its call: "
                        + Terminal.line(f.detail())
                        + "; DIME calls the model on batches of perturbed rows, so every"
                        + " explanation mixes them: export the model for inference (PyTorch:"
                        + " model.eval() before torch.onnx.export, so that batch normalisation"
                        + " uses its running statistics), or run with --batch-size 1 (slower)"
                    : "dime: warning: the model is not deterministic: "
                        + Terminal.line(f.detail())
                        + "; every explanation measures that noise with the inputs (the"
                        + " decomposition and the weights alike): export the model for inference"
                        + " (PyTorch: model.eval() before torch.onnx.export, so that dropout is"
                        + " off), or fix its random seed"));
  }

  /** A warning for each modality whose fully hidden state the model reads as one answer. */
  private static void warnAboutHiddenStates(RunSummary summary, List<String> classes) {
    for (HiddenModality m : summary.hiddenBaseline().modalities()) {
      if (m.inert()) {
        System.err.printf(
            Locale.ROOT,
            "dime: warning: hiding all of '%s' left every score unchanged for %.0f%% of %d pool"
                + " records: its perturber hides nothing this model reads, so its weights are"
                + " noise; choose a perturber that removes information (summary.json,"
                + " hiddenBaseline)%n",
            m.modality(),
            100 * m.shareUnchanged(),
            m.records());
      }
      if (m.dominant()) {
        int c = m.topHidden();
        String answer = m.classNames().get(c);
        System.err.printf(
            Locale.ROOT,
            "dime: warning: with all of '%s' hidden the model answers '%s' for %.0f%% of %d pool"
                + " records (%.0f%% unhidden); weights toward '%s' partly measure the hidden"
                + " state (summary.json, hiddenBaseline)%n",
            m.modality(),
            answer,
            100 * m.shareHidden()[c],
            m.records(),
            100 * m.shareOriginal()[c],
            answer);
      }
    }
  }

  private void writeEnd(
      RunSummary summary, JobOutcome outcome, CliJobListener listener, long started) {
    ObjectNode end = log.event("end");
    end.put("records", summary.counts().records());
    end.put("explained", summary.counts().explained());
    end.put("failed", summary.counts().failed());
    end.put("unreadable", listener.start().unreadable());
    end.put("resumed", summary.counts().resumed());
    end.put("explainedThisRun", summary.counts().explainedThisRun());
    end.put("seconds", outcome.explainSeconds());
    end.put("totalSeconds", (System.nanoTime() - started) / 1e9);
    end.put("exitCode", outcome.exitCode());
    log.write(end);
  }
}
