package io.dime.cli;

import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.api.run.JobResult;
import io.dime.api.run.RunSummary;
import io.dime.api.run.SourceRecord;
import io.dime.core.Featurizer;
import io.dime.core.io.Json;
import io.dime.core.io.SummaryJson;
import io.dime.core.plugin.PluginRegistry;
import io.dime.report.HtmlReportSink;
import io.dime.spi.FeatureSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dime report OUT_DIR}: draws {@code report.html} again from a finished {@code dime explain}
 * run's files, without the model: the explanations and the summary as the run wrote them, and the
 * inputs {@code job.json} names (pipeline, manifest, pool), which the modality plugins featurize
 * again to draw their views (featurizing is deterministic, so the views are the run's).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "report",
    header = "Draw a finished run's report again, without the model.",
    description = {
      "Draws OUT_DIR/report.html again from a finished run's explanations.jsonl, summary.json"
          + " and job.json, without the model; the inputs job.json names are read to draw the"
          + " views. The report's bounds (--report-cards, --report-page-cards, --report-worst)"
          + " are the run's defaults unless given; give the run's own to draw the same pages"
          + " again.",
      "Exit code 0: written, 2: the run's files or inputs cannot be read."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "OUT_DIR", description = "the output folder of dime explain")
  Path dir;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "where the page goes (default: OUT_DIR/report.html)")
  Path report;

  @Mixin PluginDirs plugins;

  @Mixin ReportOptions reportOptions;

  @Override
  public Integer call() throws IOException {
    reportOptions.check();
    JobFile job = JobFile.read(dir);
    List<Path> dirs = new ArrayList<>();
    job.plugins().forEach(p -> dirs.add(Path.of(p)));
    dirs.addAll(plugins.dirs);
    Path data = Path.of(job.data());
    JobInputs in =
        JobInputs.read(
            PluginRegistry.load(dirs),
            Path.of(job.pipeline()),
            data,
            job.pool() == null ? null : Path.of(job.pool()),
            job.poolSize(),
            job.seed(),
            job.access());
    Featurizer featurizer = Featurizer.forPool(in.modalities(), in.pool().points(), job.seed());
    Map<String, SourceRecord> byId = new HashMap<>();
    for (SourceRecord r : in.records()) {
      r.datapoint().ifPresent(dp -> byId.put(dp.id(), r));
    }
    Path file = report != null ? report : dir.resolve(ExplainCommand.REPORT);
    RunSummary summary = SummaryJson.read(Files.readString(dir.resolve(ExplainCommand.SUMMARY)));
    List<String> problems = new ArrayList<>();
    try (HtmlReportSink sink =
            reportOptions
                .apply(HtmlReportSink.builder(file, in.modalities()))
                .title(ExplainRun.title(data))
                .classNames(in.pipe().classNames() == null ? List.of() : in.pipe().classNames())
                .build();
        BufferedReader lines =
            Files.newBufferedReader(
                dir.resolve(ExplainCommand.EXPLANATIONS), StandardCharsets.UTF_8)) {
      // one line at a time: the report's memory is bounded by its settings, not by the run
      int lineNumber = 0;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        lineNumber++;
        if (!line.isBlank()) {
          sink.accept(result(line, lineNumber, byId, featurizer, problems));
          printAndClear(problems);
        }
      }
      sink.finish(summary);
      problems.addAll(sink.problems());
      printAndClear(problems);
    }
    System.out.println("report: " + file.toAbsolutePath());
    return 0;
  }

  private static void printAndClear(List<String> problems) {
    for (String problem : problems) {
      System.err.println("dime: report: " + problem);
    }
    problems.clear();
  }

  /** One line of the explanations as the job handed it to its sinks. */
  private static JobResult result(
      String line,
      int lineNumber,
      Map<String, SourceRecord> byId,
      Featurizer featurizer,
      List<String> problems) {
    ExplainResult r;
    try {
      r = Json.readResult(line);
    } catch (IOException e) {
      String where = ExplainCommand.EXPLANATIONS + " line " + lineNumber;
      problems.add(where + ": " + e.getMessage());
      RecordError err =
          new RecordError(
              Optional.empty(), 0, "report", where + " cannot be read: " + e.getMessage());
      return new JobResult(JobResult.Status.UNREADABLE, 0, err, Optional.empty(), Map.of());
    }
    if (!(r instanceof Explanation e)) {
      RecordError err = (RecordError) r;
      return new JobResult(JobResult.Status.UNREADABLE, err.line(), r, Optional.empty(), Map.of());
    }
    SourceRecord record = byId.get(e.id());
    if (record == null) {
      return new JobResult(JobResult.Status.STALE, 0, r, Optional.empty(), Map.of());
    }
    Datapoint dp = record.datapoint().get();
    Map<String, FeatureSet<?>> features;
    try {
      features = featurizer.features(dp);
    } catch (RuntimeException ex) {
      problems.add("record '" + dp.id() + "': " + ex.getMessage());
      features = Map.of();
    }
    return new JobResult(JobResult.Status.RESUMED, record.line(), r, Optional.of(dp), features);
  }
}
