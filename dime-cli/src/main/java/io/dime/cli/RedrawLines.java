package io.dime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Datapoint;
import io.dime.api.ExplainResult;
import io.dime.api.Explanation;
import io.dime.api.RecordError;
import io.dime.api.run.JobResult;
import io.dime.api.run.RecordCounts;
import io.dime.api.run.SourceRecord;
import io.dime.core.Featurizer;
import io.dime.core.io.Json;
import io.dime.spi.FeatureSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lines of a run's {@code explanations.jsonl} as {@code dime report} draws them, each checked
 * against the run: its provenance against the summary ({@link RunCheck}, a refusal); its record's
 * inputs now against the digest stored with it (the digest the manifest reader computes, as a
 * resumed job compares it): a record whose inputs changed keeps its stored weights but loses its
 * input views, and its card says why; a line of an unknown schema version, a line that cannot be
 * read and a second line of one id are not drawn as the run's. When all are read, the lines are
 * compared with the summary's counts and the manifest's ids. Everything found is a flag: a note on
 * the page and on standard error, and exit code 1.
 */
final class RedrawLines {
  /** Ids listed per note; the rest are counted. */
  static final int LISTED = 10;

  /** A line to draw, with the notes its card shows. */
  record Drawn(JobResult result, List<String> notes) {}

  private final RunCheck run;
  private final Featurizer featurizer;
  private final List<SourceRecord> manifest;
  private final java.util.function.UnaryOperator<SourceRecord> values;
  private final Map<String, SourceRecord> byId = new HashMap<>();
  private final Map<String, Integer> lineOf = new HashMap<>();
  private final Map<String, List<String>> found = new LinkedHashMap<>();
  private final Map<String, Integer> foundCount = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private int explanations;
  private int errors;
  private int notInManifest;
  // ids whose line is an error line: a later explanation of one is the run's stale line
  private final java.util.Set<String> failedIds = new java.util.HashSet<>();

  /**
   * Draws the lines of a run whose data file's records are {@code manifest}.
   *
   * @param values a record of {@code manifest} with its values, where the manifest's records are
   *     held without them ({@link JobInputs#withValues})
   */
  RedrawLines(
      RunCheck run,
      Featurizer featurizer,
      List<SourceRecord> manifest,
      java.util.function.UnaryOperator<SourceRecord> values) {
    this.run = run;
    this.featurizer = featurizer;
    this.manifest = manifest;
    this.values = values;
    for (SourceRecord r : manifest) {
      r.id().ifPresent(id -> byId.putIfAbsent(id, r));
    }
  }

  /** An id for a message: at most 200 characters, no pair of surrogates split. */
  static String shortId(String id) {
    if (id.length() <= 200) {
      return id;
    }
    return id.substring(0, Character.isHighSurrogate(id.charAt(199)) ? 199 : 200) + "...";
  }

  /** What was found about single records since the last call, for standard error; cleared. */
  List<String> takeProblems() {
    List<String> out = List.copyOf(problems);
    problems.clear();
    return out;
  }

  private void find(String kind, String what, String problem) {
    List<String> items = found.computeIfAbsent(kind, k -> new ArrayList<>());
    if (items.size() <= LISTED) {
      items.add(what);
    }
    foundCount.merge(kind, 1, Integer::sum);
    problems.add(problem);
  }

  /**
   * A line that cannot be read (not UTF-8, not JSON): noted, and drawn as a card that says so.
   *
   * @param problem why, without the line's number
   */
  Optional<Drawn> unreadable(int number, String problem) {
    String where = ExplainCommand.EXPLANATIONS + " line " + number;
    find("unreadable", "line " + number, where + ": " + problem);
    RecordError err =
        new RecordError(Optional.empty(), 0, "report", where + " cannot be read: " + problem);
    return drawn(JobResult.Status.UNREADABLE, 0, err, null, List.of());
  }

  /**
   * One line of the file: what to draw, or empty for a line not drawn (a second line of an id).
   *
   * @throws IllegalArgumentException when the line is not of the run (see {@link RunCheck})
   */
  Optional<Drawn> line(String text, int number) {
    String where = ExplainCommand.EXPLANATIONS + " line " + number;
    ExplainResult r;
    try {
      r = Json.readResult(text);
    } catch (IOException e) {
      return unreadable(number, LineProblems.describe(e, text));
    }
    int version = r instanceof Explanation e ? e.schemaVersion() : errorLineVersion(text);
    if (version != Explanation.SCHEMA_VERSION) {
      String message =
          where
              + " has schemaVersion "
              + version
              + ", which this DIME does not read (it reads "
              + Explanation.SCHEMA_VERSION
              + "): not drawn";
      find("schema", "line " + number, message);
      RecordError err = new RecordError(r.recordId(), 0, "report", message);
      return drawn(JobResult.Status.UNREADABLE, 0, err, null, List.of());
    }
    Optional<String> id = r.recordId();
    if (id.isPresent() && r instanceof Explanation kept && failedIds.contains(id.get())) {
      // the run's own stale line: a kept explanation of a record that now fails to read, written
      // after the record's error line and counted in the summary's staleLines
      failedIds.remove(id.get());
      run.sameRun(kept, number);
      explanations++;
      notInManifest++;
      return drawn(JobResult.Status.STALE, 0, kept, null, List.of());
    }
    if (id.isPresent() && lineOf.putIfAbsent(id.get(), number) != null) {
      find(
          "duplicate",
          "'" + shortId(id.get()) + "' (line " + number + ")",
          "record '"
              + shortId(id.get())
              + "' has another line, "
              + number
              + ", besides line "
              + lineOf.get(id.get())
              + ": drawn once, from the first");
      return Optional.empty();
    }
    if (r instanceof RecordError err) {
      errors++;
      id.ifPresent(failedIds::add);
      return drawn(JobResult.Status.UNREADABLE, err.line(), err, null, List.of());
    }
    Explanation e = (Explanation) r;
    run.sameRun(e, number);
    explanations++;
    return explanation(e);
  }

  private Optional<Drawn> explanation(Explanation e) {
    SourceRecord record = byId.get(e.id());
    String name = "'" + shortId(e.id()) + "'";
    if (record == null) {
      notInManifest++;
      return drawn(JobResult.Status.STALE, 0, e, null, List.of());
    }
    record = values.apply(record);
    if (!record.readable()) {
      String why = record.error().map(RecordError::message).orElse("");
      // the manifest's message names the record too: it is named once, here
      String named = "record '" + e.id() + "': ";
      why = why.startsWith(named) ? why.substring(named.length()) : why;
      find("unreadable input", name, "record " + name + ": its input cannot be read now: " + why);
      return drawn(
          JobResult.Status.RESUMED,
          record.line(),
          e,
          null,
          List.of(
              "Its input cannot be read now ("
                  + why
                  + "): its views are left out; the weights are drawn as the run stored them."));
    }
    if (record.inputDigest().isPresent()
        && !record.inputDigest().equals(e.provenance().inputDigest())) {
      find(
          "changed",
          name,
          "record "
              + name
              + ": its input changed since the run (the manifest line or a file it names differs"
              + " from what was explained); its input views are left out");
      return drawn(
          JobResult.Status.RESUMED,
          record.line(),
          e,
          null,
          List.of(
              "Its input changed since the run (the manifest line or a file it names is not what"
                  + " was explained): its views are left out; the weights are drawn as the run"
                  + " stored them."));
    }
    Datapoint dp = record.datapoint().get();
    Map<String, FeatureSet<?>> features;
    try {
      features = featurizer.features(dp);
    } catch (RuntimeException ex) {
      problems.add("record " + name + ": " + ex.getMessage());
      features = Map.of();
    }
    String other = otherFeatures(e, features);
    if (other != null) {
      find(
          "features",
          name,
          "record "
              + name
              + ": "
              + other
              + "; its views are left out, its weights drawn as stored");
      return drawn(
          JobResult.Status.RESUMED,
          record.line(),
          e,
          null,
          List.of(
              "Its features now are not the ones the run explained ("
                  + other
                  + "): its views are left out; the weights are drawn as the run stored them."));
    }
    return Optional.of(
        new Drawn(
            new JobResult(JobResult.Status.RESUMED, record.line(), e, Optional.of(dp), features),
            List.of()));
  }

  /**
   * How the features made now differ from the ones the run explained (their names, and where the
   * feature map places them), or null when they agree: a modality plugin of another version, or one
   * whose featurizer is not deterministic, would otherwise have the stored weights drawn on other
   * superpixels, words or windows than they were fitted to.
   */
  static String otherFeatures(Explanation e, Map<String, FeatureSet<?>> features) {
    for (Map.Entry<String, FeatureSet<?>> f : features.entrySet()) {
      String m = f.getKey();
      FeatureSet<?> fs = f.getValue();
      Optional<List<String>> stored =
          e.classes().stream()
              .flatMap(c -> c.modalities().stream())
              .filter(me -> me.modality().equals(m))
              .map(io.dime.api.ModalityExplanation::featureNames)
              .findFirst();
      if (stored.isPresent() && !stored.get().equals(fs.names())) {
        return "modality '"
            + m
            + "' now makes "
            + fs.size()
            + " features "
            + abbreviate(fs.names().toString())
            + " where the run explained "
            + stored.get().size()
            + " "
            + abbreviate(stored.get().toString());
      }
      io.dime.api.FeatureMap map = e.featureMaps().get(m);
      if (map != null && fs.featureMap().isPresent() && !map.equals(fs.featureMap().get())) {
        return "modality '"
            + m
            + "' now places its features elsewhere in the input than the run did (its "
            + map.kind()
            + " map differs)";
      }
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static Optional<Drawn> drawn(
      JobResult.Status status, int line, ExplainResult r, Datapoint dp, List<String> notes) {
    return Optional.of(
        new Drawn(new JobResult(status, line, r, Optional.ofNullable(dp), Map.of()), notes));
  }

  /** The schema version of an error line (0 when it has none). */
  private static int errorLineVersion(String text) {
    try {
      JsonNode n = Json.mapper().readTree(text);
      return n.path("schemaVersion").asInt(0);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * What the lines read say against the summary and the manifest, with what was found about single
   * records: one note each, for the page and standard error; empty when all agree.
   */
  List<String> notes() {
    List<String> out = new ArrayList<>();
    RecordCounts c = run.summary().counts();
    if (explanations != c.explained() + c.staleLines() || errors != c.failed()) {
      out.add(
          ExplainCommand.EXPLANATIONS
              + " holds "
              + explanations
              + (explanations == 1 ? " explanation" : " explanations")
              + " and "
              + errors
              + (errors == 1 ? " error line" : " error lines")
              + ", but "
              + ExplainCommand.SUMMARY
              + " counts "
              + c.explained()
              + " explained"
              + (c.staleLines() > 0 ? " (and " + c.staleLines() + " stale lines)" : "")
              + " and "
              + c.failed()
              + " failed: this page draws the lines there are, the counts above are the run's");
    }
    if (notInManifest != c.staleLines()) {
      out.add(
          notInManifest
              + " explained records are not in the manifest now (the run kept "
              + c.staleLines()
              + " stale lines): their inputs are not drawn");
    }
    List<String> missing = new ArrayList<>();
    for (SourceRecord r : manifest) {
      r.id()
          .filter(id -> !lineOf.containsKey(id))
          .ifPresent(id -> missing.add("'" + shortId(id) + "'"));
    }
    if (!missing.isEmpty()) {
      out.add(
          listed(
              missing,
              missing.size(),
              "record of the manifest has no line",
              "records of the manifest have no line"));
    }
    note(
        out,
        "changed",
        "record's input changed since the run",
        "records' inputs changed since the run",
        " (their cards draw the stored weights without the inputs)");
    note(
        out,
        "features",
        "record's features are not the ones the run explained",
        "records' features are not the ones the run explained",
        " (their cards draw the stored weights without the inputs; was the modality plugin"
            + " changed?)");
    note(
        out,
        "unreadable input",
        "record's input cannot be read now",
        "records' inputs cannot be read now",
        "");
    note(
        out,
        "duplicate",
        "second line of an id is not drawn",
        "second lines of ids are not drawn",
        "");
    note(
        out,
        "schema",
        "line has an unknown schemaVersion",
        "lines have an unknown schemaVersion",
        " (not drawn)");
    note(out, "unreadable", "line cannot be read", "lines cannot be read", "");
    return out;
  }

  private void note(List<String> out, String kind, String one, String many, String tail) {
    List<String> items = found.get(kind);
    if (items != null) {
      out.add(listed(items, foundCount.get(kind), one, many) + tail);
    }
  }

  private static String listed(List<String> items, int total, String one, String many) {
    StringBuilder sb = new StringBuilder();
    sb.append(total).append(' ').append(total == 1 ? one : many).append(": ");
    sb.append(String.join(", ", items.subList(0, Math.min(LISTED, items.size()))));
    if (total > LISTED) {
      sb.append(" and ").append(total - LISTED).append(" more");
    }
    return sb.toString();
  }
}
