package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.dime.api.Explanation;
import io.dime.api.Provenance;
import io.dime.api.run.JobResult;
import io.dime.api.run.ResultSink;
import io.dime.api.run.RunSummary;
import io.dime.core.io.AtomicFiles;
import io.dime.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code explanations.jsonl}: one JSON line per record ({@link Json#line}), the job's output and
 * its checkpoint. When the job begins, the file is rewritten (atomically) to hold what is kept;
 * each new result is then appended and flushed as soon as it is done, so a crash loses at most the
 * records in flight; when the job finishes, the file is rewritten once more in the source's order,
 * stale explanations last. A torn last line is never read as a record: it is explained again, as is
 * any line that is not strict UTF-8, not exactly one JSON object, or not an explanation.
 */
public final class ExplanationsFile implements ResultSink, Checkpoint {
  /** The file name the command line writes. */
  public static final String NAME = "explanations.jsonl";

  /** Provenance entries that may differ between the runs of one resumed job. */
  public static final Set<String> RESUME_FREE =
      Set.of(
          Provenance.REFERENCE_DRAW_HASH,
          Provenance.INPUT_DIGEST,
          "manifestSha256",
          "dimeVersion",
          "libraries");

  private final Path file;
  private final List<String> ordered = new ArrayList<>();
  private final List<String> stale = new ArrayList<>();
  private java.io.OutputStream appender;

  /** The file (its folder must exist). */
  public ExplanationsFile(Path file) {
    this.file = requireNonNull(file, "file is null");
  }

  /** Where the lines go. */
  public Path path() {
    return file;
  }

  @Override
  public Map<String, Explanation> restore(Provenance provenance) throws IOException {
    Map<String, Explanation> kept = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return kept;
    }
    Map<String, JsonNode> expected = comparable(provenance);
    try (LineReader lines = new LineReader(Files.newInputStream(file), Integer.MAX_VALUE - 8)) {
      for (LineReader.Line line = lines.next(); line != null; line = lines.next()) {
        // a line that is not UTF-8 or not one JSON value (torn by a crash, or garbled)
        JsonNode n = line.problem() == null ? tree(line.text()) : null;
        if (n == null || !n.isObject() || n.has("error") || !n.path("id").isTextual()) {
          continue; // explained again
        }
        JsonNode p = n.path("provenance");
        for (Map.Entry<String, JsonNode> e : expected.entrySet()) {
          if (!e.getValue().equals(p.get(e.getKey()))) {
            throw new IllegalArgumentException(
                file
                    + " holds explanations made with other settings ('"
                    + e.getKey()
                    + "' differs for record '"
                    + shortId(n.get("id").asText())
                    + "' on line "
                    + line.number()
                    + "); use another --out or remove the file");
          }
        }
        Explanation x;
        try {
          x = Json.mapper().treeToValue(n, Explanation.class);
        } catch (IOException | IllegalArgumentException e) {
          continue; // not an explanation this version reads: explained again
        }
        kept.put(x.id(), x);
      }
    }
    return kept;
  }

  private static final com.fasterxml.jackson.databind.ObjectReader ONE_VALUE =
      Json.mapper()
          .readerFor(JsonNode.class)
          .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** An id for a message: valid Unicode, at most 200 characters. */
  private static String shortId(String id) {
    String s = JsonlManifest.wellFormed(id);
    if (s.length() <= 200) {
      return s;
    }
    return s.substring(0, Character.isHighSurrogate(s.charAt(199)) ? 199 : 200) + "...";
  }

  /** The line as one JSON value, or null when it is not exactly one (text after it included). */
  private static JsonNode tree(String line) {
    if (line.isBlank()) {
      return null;
    }
    try {
      return ONE_VALUE.readValue(line);
    } catch (IOException e) {
      return null;
    }
  }

  /** The provenance entries a kept explanation must share, as JSON. */
  private static Map<String, JsonNode> comparable(Provenance provenance) throws IOException {
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : provenance.toMap().entrySet()) {
      if (!RESUME_FREE.contains(e.getKey())) {
        // parsed from its line, as the stored entry is (an int is an IntNode either way)
        expected.put(e.getKey(), Json.mapper().readTree(Json.line(e.getValue())));
      }
    }
    return expected;
  }

  @Override
  public void begin(List<JobResult> known) throws IOException {
    List<String> lines = new ArrayList<>();
    for (JobResult r : known) {
      lines.add(Json.line(r.result()));
    }
    AtomicFiles.writeLines(file, lines);
    appender = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Override
  public void accept(JobResult r) throws IOException {
    String line = Json.line(r.result());
    if (r.status() == JobResult.Status.STALE) {
      stale.add(line);
      return;
    }
    ordered.add(line);
    if (r.status() == JobResult.Status.EXPLAINED) {
      if (appender == null) {
        begin(List.of());
      }
      // The whole line in one write: a failure never leaves half of it (and encoding cannot fail:
      // getBytes replaces what UTF-8 cannot hold).
      appender.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      appender.flush();
    }
  }

  @Override
  public void finish(RunSummary summary) throws IOException {
    closeAppender();
    List<String> all = new ArrayList<>(ordered);
    all.addAll(stale);
    AtomicFiles.writeLines(file, all);
  }

  @Override
  public void close() throws IOException {
    closeAppender();
  }

  private void closeAppender() throws IOException {
    if (appender != null) {
      appender.close();
      appender = null;
    }
  }
}
