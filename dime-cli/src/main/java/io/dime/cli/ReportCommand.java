package io.dime.cli;

import io.dime.api.run.RunSummary;
import io.dime.core.Featurizer;
import io.dime.core.job.LineReader;
import io.dime.core.plugin.PluginRegistry;
import io.dime.report.HtmlReportSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    versionProvider = Main.Version.class,
    name = "report",
    header = "Draw a finished run's report again, without the model.",
    description = {
      "Draws OUT_DIR/report.html again from a finished run's explanations.jsonl, summary.json"
          + " and job.json, without the model; the inputs job.json names are read to draw the"
          + " views. The report's bounds (--report-cards, --report-page-cards, --report-worst)"
          + " are the run's defaults unless given; give the run's own to draw the same pages"
          + " again.",
      "The run's files are checked first: job.json, summary.json and every line's provenance"
          + " must be of one run, and the pipeline the run's (else exit 2). A record whose"
          + " inputs changed since the run (its stored inputDigest) is drawn without its input"
          + " views, with a note; lines missing, repeated, unreadable or of another schema"
          + " version, against summary.json's counts and the manifest's ids, are noted on the"
          + " page and on standard error.",
      "Plugin code is loaded only from the folders given with --plugins (and DIME_PLUGIN_PATH),"
          + " never from the plugin folders job.json names: a run folder may come from someone"
          + " else. Plugin folders job.json names that were not given are named in a warning;"
          + " a modality of their plugins then cannot be read (exit 2): give --plugins DIR for"
          + " folders you trust.",
      "Exit code 0: written, 1: written with notes (any problem printed on standard error:"
          + " inputs changed, lines missing or not readable, records whose views cannot be"
          + " drawn, job.json's plugin folders not given), 2: the run's files or inputs cannot"
          + " be read, or are not of one run, or a run is writing to OUT_DIR now."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "OUT_DIR", description = "the output folder of dime explain")
  Path dir;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "where the page goes (default: OUT_DIR/report.html); refused when it is a directory,"
              + " a pipe or a device, or one of the run's files or the inputs job.json names")
  Path report;

  @Mixin PluginDirs plugins;

  @Mixin ReportOptions reportOptions;

  @Override
  public Integer call() throws IOException {
    reportOptions.check();
    Path file = report != null ? report : dir.resolve(ExplainCommand.REPORT);
    // a run writing to the folder would be drawn half done and race on its report: refused
    boolean intoRun = file.toAbsolutePath().normalize().getParent().equals(absolute(dir));
    JobFile job = JobFile.read(dir); // first: a folder that is not a run's gets no lock file
    if (report != null) {
      checkReport(report, job);
    }
    try (OutputLock lock =
        intoRun
            ? OutputLock.take(dir, "draw its report once it has ended")
            : OutputLock.share(dir)) {
      return draw(file, job);
    }
  }

  /**
   * Refuses a {@code --report} path that is not a place for a page: an existing directory, pipe or
   * device (the page would replace it with a regular file), or one of the run's files or of the
   * inputs job.json names (the page would replace what it is drawn from).
   */
  private void checkReport(Path file, JobFile job) throws IOException {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "--report "
              + file
              + " is "
              + (Files.isDirectory(file)
                  ? "a directory"
                  : "not a regular file (a pipe or a device)")
              + "; give the path of an HTML file to write");
    }
    List<String> own = new ArrayList<>();
    for (String name :
        List.of(
            ExplainCommand.EXPLANATIONS, ExplainCommand.SUMMARY, JobFile.NAME, OutputLock.FILE)) {
      own.add(dir.resolve(name).toString());
    }
    own.add(job.pipeline());
    own.add(job.data());
    if (job.pool() != null) {
      own.add(job.pool());
    }
    Path real = real(file);
    for (String name : own) {
      Path other;
      try {
        other = real(Path.of(name));
      } catch (java.nio.file.InvalidPathException e) {
        continue;
      }
      if (real.equals(other)) {
        throw new IllegalArgumentException(
            "--report "
                + file
                + " is the run's file "
                + name
                + ", which the page would replace; give another path");
      }
    }
  }

  /**
   * The path with its links resolved: the real path of its deepest existing folder or file, with
   * the rest of its names after it.
   */
  private static Path real(Path p) throws IOException {
    Path abs = absolute(p);
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null ? abs : existing.toRealPath().resolve(existing.relativize(abs));
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private int draw(Path file, JobFile job) throws IOException {
    RunSummary summary = RunFiles.summary(dir);
    Path explanations = RunFiles.explanations(dir);
    RunCheck check = RunCheck.of(dir, job, summary);
    // plugin code runs only from folders given here: job.json is data, and a run folder from
    // someone else must not run code by being drawn
    List<String> notLoaded = notGiven(job.plugins(), plugins.dirs);
    if (!notLoaded.isEmpty()) {
      print(
          List.of(
              "job.json names plugin folders not given with --plugins, so not loaded (give them"
                  + " with --plugins if you trust their code): "
                  + String.join(", ", notLoaded)),
          "warning: ");
    }
    Path data = Path.of(job.data());
    JobInputs in =
        JobInputs.read(
            PluginRegistry.load(plugins.dirs),
            Path.of(job.pipeline()),
            data,
            job.pool() == null ? null : Path.of(job.pool()),
            job.poolSize(),
            job.seed(),
            job.access());
    Featurizer featurizer = Featurizer.forPool(in.modalities(), in.pool().points(), job.seed());
    RedrawLines lines = new RedrawLines(check, featurizer, in.records(), in::withValues);
    List<String> notes = new ArrayList<>(check.changedFiles(job));
    int problems = 0;
    try (HtmlReportSink sink =
            reportOptions
                .apply(HtmlReportSink.builder(file, in.modalities()))
                .title(ExplainRun.title(data))
                .classNames(in.pipe().classNames() == null ? List.of() : in.pipe().classNames())
                .build();
        LineReader reader =
            new LineReader(Files.newInputStream(explanations), Integer.MAX_VALUE - 8)) {
      // one line at a time: the report's memory is bounded by its settings, not by the run; a line
      // that is not UTF-8 is a problem of that line only, like one that is not JSON
      for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
        Optional<RedrawLines.Drawn> d =
            line.problem() != null
                ? lines.unreadable(line.number(), notUtf8(line.problem()))
                : line.text().isBlank() ? Optional.empty() : lines.line(line.text(), line.number());
        if (d.isPresent()) {
          sink.accept(d.get().result(), d.get().notes());
        }
        problems += print(lines.takeProblems(), "");
      }
      notes.addAll(lines.notes());
      notes.forEach(sink::note);
      sink.finish(summary);
      problems += print(sink.problems(), "");
    }
    print(notes, "warning: ");
    System.out.println("report: " + file.toAbsolutePath());
    // every problem printed is a note of the exit code: 1, "written with notes"
    return notes.isEmpty() && notLoaded.isEmpty() && problems == 0 ? 0 : 1;
  }

  /** The folders of {@code named} (job.json's plugin folders) that are none of {@code given}. */
  private static List<String> notGiven(List<String> named, List<Path> given) {
    List<String> out = new ArrayList<>();
    for (String name : named == null ? List.<String>of() : named) {
      String shown = String.valueOf(name).replaceAll("\\p{Cntrl}", "?"); // a terminal's own codes
      Path p;
      try {
        p = Path.of(String.valueOf(name));
      } catch (java.nio.file.InvalidPathException e) {
        out.add(shown);
        continue;
      }
      if (given.stream().noneMatch(g -> sameFolder(p, g))) {
        out.add(shown);
      }
    }
    return out;
  }

  private static boolean sameFolder(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return absolute(a).equals(absolute(b)); // one is missing: compare the names
    }
  }

  /** LineReader's problem ("line N is not UTF-8 text: ...") without "line N is". */
  private static String notUtf8(String problem) {
    return problem.replaceFirst("^line \\d+ is ", "");
  }

  /** Prints the problems on standard error and returns how many there were. */
  private static int print(List<String> problems, String prefix) {
    for (String problem : problems) {
      System.err.println("dime: report: " + prefix + Terminal.line(problem));
    }
    return problems.size();
  }
}
