package io.dime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.dime.api.Explanation;
import io.dime.api.Provenance;
import io.dime.api.run.RunSummary;
import io.dime.core.Versions;
import io.dime.core.io.Json;
import io.dime.core.job.ExplanationsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a run's files belong together, before {@code dime report} draws any of them: {@code
 * job.json} and {@code summary.json} name one run (seed, pool), the pipeline is the one the run
 * read (its SHA-256, so that no name of an edited pipeline is drawn beside the stored ones), and
 * each explanation line's provenance is the summary's (model, pipeline, manifest, seed, samples,
 * estimator, every other parameter). Any difference refuses the redraw (exit 2) with a message
 * naming the file and the field. What may differ in one run is what the core lets a resumed job
 * keep ({@link ExplanationsFile#RESUME_FREE}): the reference draws and input digest of each line
 * and, when the summary says explanations were resumed or kept stale, the manifest's SHA-256 and
 * the versions of the runs before.
 */
final class RunCheck {
  /** Provenance entries compared first, so that a message names the most telling one. */
  private static final List<String> FIRST =
      List.of(
          "model",
          "pipelineSha256",
          "manifestSha256",
          "modalities",
          "seed",
          "samples",
          "estimator",
          "replicates",
          "maxInteractionOrder",
          "outputs",
          "scores",
          "targets");

  private final Path dir;
  private final RunSummary summary;
  private final Map<String, JsonNode> expected;
  private final Set<String> free;

  private RunCheck(Path dir, RunSummary summary) {
    this.dir = dir;
    this.summary = summary;
    boolean keptLines = summary.counts().resumed() > 0 || summary.counts().staleLines() > 0;
    this.free =
        keptLines
            ? ExplanationsFile.RESUME_FREE
            : Set.of(Provenance.REFERENCE_DRAW_HASH, Provenance.INPUT_DIGEST);
    this.expected = comparable(summary.provenance(), free);
  }

  /**
   * Checks that {@code job.json} and {@code summary.json} name one run and that the pipeline is the
   * run's.
   *
   * @throws IllegalArgumentException naming the files and the field that differs
   */
  static RunCheck of(Path dir, JobFile job, RunSummary summary) throws IOException {
    Path jobFile = dir.resolve(JobFile.NAME);
    Path summaryFile = dir.resolve(ExplainCommand.SUMMARY);
    Provenance p = summary.provenance();
    if (job.seed() != p.seed()) {
      throw notOneRun(jobFile, summaryFile, "seed", job.seed(), p.seed());
    }
    boolean separatePool = job.pool() != null && !job.pool().equals(job.data());
    boolean poolRecorded = p.run().containsKey("poolManifestSha256");
    // a pool file given as the data file under another spelling is recorded, and is not separate
    if ((separatePool && !poolRecorded) || (job.pool() == null && poolRecorded)) {
      throw notOneRun(
          jobFile,
          summaryFile,
          "pool",
          separatePool ? job.pool() : "none (the data file)",
          poolRecorded ? "a pool file" : "none (the data file)");
    }
    Path pipeline = Path.of(job.pipeline());
    RunFiles.require(pipeline, " (" + jobFile + " names it: the run's pipeline)");
    Object recorded = p.run().get("pipelineSha256");
    String now = Versions.sha256(pipeline);
    if (recorded != null && !now.equals(recorded)) {
      throw new IllegalArgumentException(
          "the pipeline "
              + pipeline
              + " changed since the run (SHA-256 "
              + recorded
              + " in "
              + summaryFile
              + ", "
              + now
              + " now): its modalities and names would not be those of the stored explanations;"
              + " restore the run's pipeline, or explain again");
    }
    return new RunCheck(dir, summary);
  }

  private static IllegalArgumentException notOneRun(
      Path a, Path b, String field, Object inA, Object inB) {
    return new IllegalArgumentException(
        a
            + " and "
            + b
            + " are not from one run: '"
            + field
            + "' is "
            + inA
            + " in "
            + a.getFileName()
            + ", "
            + inB
            + " in "
            + b.getFileName());
  }

  /**
   * What differs between the files a run read and what they are now, for notes (not refusals): the
   * manifest's and the pool manifest's SHA-256.
   */
  List<String> changedFiles(JobFile job) throws IOException {
    List<String> out = new ArrayList<>();
    changed(out, "manifest", Path.of(job.data()), summary.provenance().run().get("manifestSha256"));
    if (job.pool() != null) {
      changed(
          out,
          "pool manifest",
          Path.of(job.pool()),
          summary.provenance().run().get("poolManifestSha256"));
    }
    return out;
  }

  private void changed(List<String> out, String what, Path file, Object recorded)
      throws IOException {
    String now = Versions.sha256(file);
    if (recorded != null && !now.equals(recorded)) {
      out.add(
          "the "
              + what
              + " "
              + file
              + " changed since the run (SHA-256 "
              + recorded
              + " in summary.json, "
              + now
              + " now)");
    }
  }

  /**
   * Checks that an explanation line is one of the run the summary describes.
   *
   * @throws IllegalArgumentException naming the line, the record and the field that differs
   */
  void sameRun(Explanation e, int line) {
    Map<String, JsonNode> got = comparable(e.provenance(), free);
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(got.keySet());
    List<String> order = new ArrayList<>();
    FIRST.stream().filter(keys::contains).forEach(order::add);
    keys.stream().filter(k -> !order.contains(k)).forEach(order::add);
    for (String k : order) {
      String[] diff = difference(k, node(got, k), node(expected, k));
      if (diff != null) {
        throw new IllegalArgumentException(
            dir.resolve(ExplainCommand.EXPLANATIONS)
                + " line "
                + line
                + " (record '"
                + RedrawLines.shortId(e.id())
                + "') is not from the run "
                + dir.resolve(ExplainCommand.SUMMARY)
                + " describes: its provenance '"
                + diff[0]
                + "' is "
                + diff[1]
                + ", summary.json has "
                + diff[2]
                + "; draw a run's report from that run's own files");
      }
    }
  }

  private static JsonNode node(Map<String, JsonNode> m, String key) {
    JsonNode n = m.get(key);
    return n == null ? MissingNode.getInstance() : n;
  }

  /** The first path where two values differ, with each value's text; null when they are equal. */
  private static String[] difference(String path, JsonNode a, JsonNode b) {
    if (a.equals(b)) {
      return null;
    }
    if (a.isObject() && b.isObject()) {
      Set<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        String[] d = difference(path + "." + k, a.path(k), b.path(k));
        if (d != null) {
          return d;
        }
      }
    }
    return new String[] {path, text(a), text(b)};
  }

  private static String text(JsonNode n) {
    if (n.isMissingNode()) {
      return "absent";
    }
    String s = n.toString();
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  /** The provenance's JSON entries that must be equal in one run, parsed as a line's are. */
  private static Map<String, JsonNode> comparable(Provenance p, Set<String> free) {
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(Json.line(p.toMap()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!free.contains(e.getKey())) {
        // the model's threads differ between a cluster's machines, and a resumed job's
        out.put(e.getKey(), ExplanationsFile.withoutFree(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  /** The run's summary. */
  RunSummary summary() {
    return summary;
  }
}
