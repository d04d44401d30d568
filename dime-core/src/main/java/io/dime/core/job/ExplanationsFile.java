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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * stale explanations last, by copying each line's bytes from where it was written (memory holds
 * where each line lies, not the lines). A torn last line is never read as a record: it is explained
 * again, as is any line that is not strict UTF-8, not exactly one JSON object, or not an
 * explanation.
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

  /** The model's provenance field that may differ between the runs of one resumed job. */
  static final String MODEL_THREADS = "threads";

  /**
   * The model's provenance fields that may differ between the runs of one resumed job: they set how
   * the model is called (its threads; a served model's concurrency, timeout, retries, the wait
   * between them and the longest answer read), never what it answers, only which calls fail.
   */
  static final Set<String> MODEL_FREE =
      Set.of(
          MODEL_THREADS,
          "concurrency",
          "timeoutSeconds",
          "retries",
          "retryBackoffMillis",
          "maxResponseMegabytes");

  /** Where the model was found: free when the entry records its digest ({@link #MODEL_DIGEST}). */
  static final String MODEL_LOCATION = "location";

  /**
   * The model's SHA-256 (of an ONNX file; of a served model's metadata and signature): where both
   * runs record the same, the model moved (another path, the same server at another host:port).
   */
  static final String MODEL_DIGEST = "sha256";

  private final Path file;
  // Where each result's line lies in the file, in the order results came: the final rewrite copies
  // the bytes from there, so memory holds two numbers per record, never the lines themselves.
  private long[] offsets = new long[256];
  private int[] lengths = new int[256];
  private int count;
  private final Map<String, long[]> keptAt = new java.util.HashMap<>();
  // where restore found each kept explanation's text, until begin rewrites the file
  private final Map<String, long[]> restoredAt = new java.util.HashMap<>();
  private boolean begun;
  private boolean finished;
  private final List<String> stale = new ArrayList<>();
  // The file as it was opened when the job began: lines are appended through it, and the final
  // rewrite copies them from it, so that the lines survive the file (or its folder) being deleted
  // or moved while the job runs; reading the path again then found nothing and wrote an empty file.
  private FileChannel appender;
  private long size;

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
    for (Map.Entry<String, KeptExplanation> e : keep(provenance).entrySet()) {
      kept.put(e.getKey(), e.getValue().read());
    }
    return kept;
  }

  /**
   * The explanations the file holds, each read again from its line when asked for (from where
   * {@link #begin} wrote it once the job has begun), until the job's {@link #finish}.
   */
  @Override
  public Map<String, KeptExplanation> keep(Provenance provenance) throws IOException {
    Map<String, KeptExplanation> kept = new LinkedHashMap<>();
    restoredAt.clear();
    if (!Files.exists(file)) {
      return kept;
    }
    if (!Files.isRegularFile(file)) {
      // a directory cannot take the lines, and a device or pipe may never end (/dev/full)
      throw new CheckpointRefusedException(
          file
              + " is not a regular file (a directory, a device or a pipe); remove it or use"
              + " another --out");
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
          JsonNode found = withoutFree(e.getKey(), p.path(e.getKey()));
          if (!e.getValue().equals(found)) {
            String[] d = difference(e.getKey(), found, e.getValue());
            throw new CheckpointRefusedException(
                file
                    + " holds explanations made with other settings ('"
                    + shortId(d[0])
                    + "' differs for record '"
                    + shortId(n.get("id").asText())
                    + "' on line "
                    + line.number()
                    + ": "
                    + d[1]
                    + " there, "
                    + d[2]
                    + " in this run"
                    + meaning(d[0])
                    + "); use another --out to explain with these settings (the"
                    + " file's explanations stay as they are)");
          }
        }
        Explanation x;
        try {
          x = Json.mapper().treeToValue(n, Explanation.class);
        } catch (IOException | IllegalArgumentException e) {
          continue; // not an explanation this version reads: explained again
        }
        String id = x.id();
        restoredAt.put(id, new long[] {lines.textStart(), lines.textLength()});
        kept.put(id, new KeptExplanation(id, x.provenance().inputDigest(), () -> reread(id)));
      }
    }
    return kept;
  }

  /**
   * A kept explanation read again from its line: where the file held it when it was restored, or,
   * once the job has begun, where {@link #begin} wrote it.
   */
  private Explanation reread(String id) {
    if (finished) {
      throw new IllegalStateException(
          "the explanations of " + file + " are read again only until the job finishes");
    }
    long[] at = begun ? keptAt.get(id) : restoredAt.get(id);
    if (at == null) {
      throw new IllegalStateException("record '" + shortId(id) + "' is not kept in " + file);
    }
    byte[] bytes = new byte[(int) at[1]];
    try {
      if (begun && appender != null) { // the file the job writes, wherever its name went
        readFully(appender, bytes, at[0]);
      } else {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
          readFully(in, bytes, at[0]);
        }
      }
      return Json.mapper().readValue(bytes, Explanation.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          file + ": the kept explanation of record '" + shortId(id) + "' cannot be read again", e);
    }
  }

  /**
   * A kept line's text as {@link #keep} found it, with its newline, for {@link #begin} to copy;
   * null when this file did not restore that id.
   */
  private byte[] restoredLine(FileChannel in, String id) throws IOException {
    long[] at = restoredAt.get(id);
    if (at == null || in == null) {
      return null;
    }
    byte[] text = new byte[(int) at[1]];
    readFully(in, text, at[0]);
    byte[] bytes = java.util.Arrays.copyOf(text, text.length + 1);
    bytes[text.length] = '\n';
    return bytes;
  }

  /** Reads bytes.length bytes at the position (not moving the channel's own position). */
  private void readFully(FileChannel in, byte[] bytes, long at) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      if (in.read(b, at + b.position()) < 0) {
        throw new IOException(file + " is shorter than when its explanations were read");
      }
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectReader ONE_VALUE =
      Json.mapper()
          .readerFor(JsonNode.class)
          .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // a field given twice is a garbled line: its tree would keep the last value, its bytes,
          // read again at delivery, fail on the first
          .with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** Text from the file (an id, a value) for a message: valid Unicode, at most 200 characters. */
  private static String shortId(String id) {
    String s = JsonlManifest.wellFormed(id);
    if (s.length() <= 200) {
      return s;
    }
    return s.substring(0, Character.isHighSurrogate(s.charAt(199)) ? 199 : 200) + "...";
  }

  /**
   * What a digest's difference means, for the entries whose values (hashes) say nothing by
   * themselves; empty for the others.
   */
  static String meaning(String key) {
    String last = key.substring(key.lastIndexOf('.') + 1);
    return switch (last) {
      case "poolInputsSha256" ->
          ": the reference pool's records, or the files they name, changed since those lines were"
              + " written (without --pool the data file is the pool, so an edited record changes"
              + " it)";
      case "idsSha256" -> ": the reference pool holds other records, or the same in another order";
      case "pipelineSha256" -> ": the pipeline file changed";
      case "poolManifestSha256" -> ": the pool manifest changed";
      case "sha256" -> key.equals("model.sha256") ? ": another model, or its file changed" : "";
      default -> "";
    };
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

  /**
   * The first field in which a kept line's entry differs from this run's, descending into objects
   * ({@code model.sha256}), with its value there and here.
   */
  private static String[] difference(String key, JsonNode there, JsonNode here) {
    if (there.isObject() && here.isObject()) {
      java.util.Set<String> fields = new java.util.TreeSet<>();
      there.fieldNames().forEachRemaining(fields::add);
      here.fieldNames().forEachRemaining(fields::add);
      for (String f : fields) {
        if (!there.path(f).equals(here.path(f))) {
          return difference(key + "." + f, there.path(f), here.path(f));
        }
      }
    }
    return new String[] {key, shown(there), shown(here)};
  }

  /**
   * A value for a message: its JSON, at most 200 characters, unpaired surrogates (a garbled file's)
   * as U+FFFD; "absent" when missing.
   */
  private static String shown(JsonNode v) {
    return v.isMissingNode() ? "absent" : shortId(Json.line(v));
  }

  /**
   * An entry without its fields that may differ between the runs of one resumed job, which set how
   * the model is called and not what it answers ({@link #MODEL_FREE}): the model's {@code threads}
   * (by default the machine's processors: a job resumed on another machine, or run on a cluster
   * whose executors have other core counts than its driver, reads the same model), a served model's
   * concurrency, timeout, retries and longest answer (a job stopped by a slow server is resumed
   * with a longer timeout), and the model's location where the entry records the model's digest
   * ({@link #MODEL_DIGEST}: the digest, the model's name and the rest are still compared).
   *
   * @param key the provenance entry's key
   * @param entry the entry as JSON (not changed)
   * @return the entry, or a copy without those fields
   */
  public static JsonNode withoutFree(String key, JsonNode entry) {
    if (!"model".equals(key) || !entry.isObject()) {
      return entry;
    }
    com.fasterxml.jackson.databind.node.ObjectNode copy =
        ((com.fasterxml.jackson.databind.node.ObjectNode) entry).deepCopy();
    copy.remove(MODEL_FREE);
    if (copy.path(MODEL_DIGEST).isTextual()) {
      copy.remove(MODEL_LOCATION);
    }
    return copy.size() == entry.size() ? entry : copy;
  }

  private static Map<String, JsonNode> comparable(Provenance provenance) throws IOException {
    Map<String, JsonNode> expected = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : provenance.toMap().entrySet()) {
      if (!RESUME_FREE.contains(e.getKey())) {
        // parsed from its line, as the stored entry is (an int is an IntNode either way)
        expected.put(
            e.getKey(), withoutFree(e.getKey(), Json.mapper().readTree(Json.line(e.getValue()))));
      }
    }
    // A run under the default preset records none: a kept line must then record none either.
    expected.putIfAbsent(
        io.dime.core.Presets.PROVENANCE_KEY,
        com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    return expected;
  }

  @Override
  public void begin(List<JobResult> known) throws IOException {
    claim();
    keptAt.clear();
    begun = false; // the kept explanations are read from where restore found them while written
    AtomicFiles.writeBytes(
        file,
        out -> {
          long at = 0;
          FileChannel old =
              restoredAt.isEmpty() ? null : FileChannel.open(file, StandardOpenOption.READ);
          try (old) {
            for (int i = 0; i < known.size(); i++) {
              // a line this file holds is copied as it is, not read and written again
              String id = known instanceof JobPlan.Known k ? k.keptId(i) : null;
              byte[] bytes = id == null ? null : restoredLine(old, id);
              JobResult r = bytes == null ? known.get(i) : null;
              if (bytes == null) {
                bytes = utf8(Json.line(r.result()));
                boolean kept =
                    r.status() == JobResult.Status.RESUMED || r.status() == JobResult.Status.STALE;
                // an unreadable record may share a kept id; a stale id is no record's
                id = kept ? r.result().recordId().orElse(null) : null;
              }
              write(out, bytes);
              if (id != null) {
                keptAt.put(id, new long[] {at, bytes.length});
              }
              at += bytes.length;
            }
          }
        });
    begun = true;
    restoredAt.clear();
    appender = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    size = appender.size();
    appender.position(size);
  }

  private static void write(FileChannel out, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  /** The line's bytes with its newline, as UTF-8 (what UTF-8 cannot hold is replaced). */
  private static byte[] utf8(String line) {
    return (line + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private void remember(long offset, int length) {
    if (count == offsets.length) {
      offsets = java.util.Arrays.copyOf(offsets, count * 2);
      lengths = java.util.Arrays.copyOf(lengths, count * 2);
    }
    offsets[count] = offset;
    lengths[count] = length;
    count++;
  }

  @Override
  public void accept(JobResult r) throws IOException {
    if (r.status() == JobResult.Status.RESUMED || r.status() == JobResult.Status.STALE) {
      long[] at = r.result().recordId().map(keptAt::get).orElse(null);
      if (at != null) { // already in the file since begin: not serialised again, nor held
        // (stale results come after every record's, so they are copied last, in their order)
        remember(at[0], (int) at[1]);
        return;
      }
    }
    String line = Json.line(r.result());
    if (r.status() == JobResult.Status.STALE) {
      stale.add(line);
      return;
    }
    if (appender == null) {
      begin(List.of());
    }
    // The whole line in one write: a failure never leaves half of it (and encoding cannot fail:
    // getBytes replaces what UTF-8 cannot hold). Error lines are written too: a resume reads past
    // them and tries their records again.
    byte[] bytes = utf8(line);
    try {
      write(appender, bytes);
    } catch (IOException e) {
      throw AtomicFiles.naming(file, e);
    }
    remember(size, bytes.length);
    size += bytes.length;
  }

  @Override
  public void finish(RunSummary summary) throws IOException {
    finished = true;
    if (appender == null) { // never begun: no line was written
      AtomicFiles.writeBytes(file, this::writeStale);
      return;
    }
    // the lines are copied from the file the job wrote, wherever its name went: a file deleted
    // while the job ran is written again, in a folder made again if that went too
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null && !Files.isDirectory(folder)) {
      Files.createDirectories(folder);
    }
    try (FileChannel in = appender) {
      appender = null;
      AtomicFiles.writeBytes(
          file,
          out -> {
            for (int i = 0; i < count; i++) {
              long done = 0;
              while (done < lengths[i]) {
                long n = in.transferTo(offsets[i] + done, lengths[i] - done, out);
                if (n <= 0) {
                  throw new IOException(file + " is shorter than the lines written to it");
                }
                done += n;
              }
            }
            writeStale(out);
          });
    }
  }

  private void writeStale(FileChannel out) throws IOException {
    for (String line : stale) {
      write(out, utf8(line));
    }
  }

  /**
   * Ends the file's use; a job that stops before {@link #finish} leaves it as its checkpoint. If
   * the file (or its folder) was deleted while the job ran, it is written again from the lines
   * appended, so that a rerun resumes from them.
   */
  @Override
  public void close() throws IOException {
    try {
      if (appender != null && size > 0 && !Files.exists(file)) {
        writeAgain();
      }
    } finally {
      closeAppender();
      unclaim();
    }
  }

  /** Writes the file again, in a folder made again if need be, from the file the job wrote. */
  private void writeAgain() throws IOException {
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null && !Files.isDirectory(folder)) {
      Files.createDirectories(folder);
    }
    FileChannel in = appender;
    long end = size;
    AtomicFiles.writeBytes(
        file,
        out -> {
          long done = 0;
          while (done < end) {
            long n = in.transferTo(done, end - done, out);
            if (n <= 0) {
              throw new IOException(file + " is shorter than the lines written to it");
            }
            done += n;
          }
        });
  }

  private void unclaim() {
    if (claimed != null) {
      WRITING.remove(claimed);
      claimed = null;
    }
  }

  /** The files a job in this JVM writes to, from its {@link #begin} to its {@link #close}. */
  private static final Set<Path> WRITING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Path claimed;

  /**
   * Takes the file for this job, refusing it while another job of this JVM writes to it: each
   * rewrites the file under the other (before, both did all their work, then one failed with
   * "explanations.jsonl.tmp -> explanations.jsonl" or "is shorter than the lines written to it").
   * Across processes the command line's output lock does this.
   */
  private void claim() throws IOException {
    if (claimed != null) {
      return;
    }
    Path key = file.toAbsolutePath().normalize();
    if (!WRITING.add(key)) {
      throw new IOException(
          "another explanation job in this JVM is writing to "
              + file
              + ": wait for it to end, or give this job another file");
    }
    claimed = key;
  }

  private void closeAppender() throws IOException {
    if (appender != null) {
      appender.close();
      appender = null;
    }
  }
}
