package io.dime.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dime.api.Explanation;
import io.dime.core.io.Json;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The machine-readable progress log of {@code --log-json}: one JSON object per line and event,
 * flushed as it is written. Every object starts with {@code event}, {@code time} (ISO-8601 instant)
 * and {@code schemaVersion} ({@link Explanation#SCHEMA_VERSION}, as every JSON document of a run
 * has); the rest depends on the event ({@code start}, which also holds the run's provenance, {@code
 * unreadable}, {@code point}, {@code end}). A file is appended to, so the log of a resumed job
 * keeps the runs before; {@code -} writes to standard error. A disabled log ({@link #NONE}) drops
 * every event.
 */
final class EventLog implements AutoCloseable {
  /** A log that writes nothing. */
  static final EventLog NONE = new EventLog(null, false);

  private final Writer out;
  private final boolean closeOut;

  private EventLog(Writer out, boolean closeOut) {
    this.out = out;
    this.closeOut = closeOut;
  }

  /**
   * Opens the log named by {@code --log-json}: null for none, {@code -} for standard error, else a
   * file (appended to; its parent directories are created).
   */
  static EventLog open(String target) {
    if (target == null) {
      return NONE;
    }
    if (target.equals("-")) {
      PrintStream err = System.err;
      return new EventLog(new OutputStreamWriter(err, StandardCharsets.UTF_8), false);
    }
    Path file = Path.of(target);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new EventLog(
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE),
          true);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot open --log-json file " + target + ": " + Main.describe(e), e);
    }
  }

  /** Whether events are written anywhere. */
  boolean enabled() {
    return out != null;
  }

  /** Whether the log goes to standard error (so human messages there would mix with it). */
  boolean toStderr() {
    return out != null && !closeOut;
  }

  /**
   * A new event object with {@code event}, {@code time} and {@code schemaVersion} set; fill it and
   * {@link #write} it.
   */
  ObjectNode event(String name) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("event", name);
    n.put("time", Instant.now().toString());
    n.put("schemaVersion", Explanation.SCHEMA_VERSION);
    return n;
  }

  /** Writes one event as one line. */
  synchronized void write(ObjectNode event) {
    if (out == null) {
      return;
    }
    try {
      out.write(Json.line(event));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the --log-json log", e);
    }
  }

  /** A finite number, or null for NaN and infinities (which JSON cannot hold). */
  static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  @Override
  public synchronized void close() {
    if (out == null) {
      return;
    }
    try {
      if (closeOut) {
        out.close();
      } else {
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the --log-json log", e);
    }
  }
}
