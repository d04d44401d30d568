package io.dime.core.job;

import io.dime.api.Datapoint;
import io.dime.api.RecordError;
import io.dime.api.run.RecordSource;
import io.dime.api.run.SourceRecord;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link RecordSource} that can read a record again from where it lies (a manifest line), so that
 * a job over it need not hold every record's values from its plan to its explanation: the job keeps
 * each record's line, id, label and input digest ({@link #light}), and reads the values again when
 * the record is explained or delivered. A job over such a source holds the values of the records in
 * flight only, however many records the source has. {@link JsonlManifest} is one.
 *
 * @since 0.1
 */
public interface RereadableSource extends RecordSource {
  /**
   * Record {@code planned} read again: the record as {@link #next()} delivered it, or an unreadable
   * record naming it and saying that its inputs changed since (its text, or a file it names) or
   * cannot be read any more. {@code planned} is a record this source delivered, or its {@link
   * #light} copy; it may be called from several threads at once, also after {@link #close()}.
   */
  SourceRecord readAgain(SourceRecord planned);

  /**
   * Records held in memory (perhaps {@link #light}), in order, each read again by {@code again}.
   */
  static RereadableSource of(
      String description,
      java.util.List<SourceRecord> records,
      java.util.function.UnaryOperator<SourceRecord> again) {
    RecordSource held = RecordSource.of(description, records);
    return new RereadableSource() {
      @Override
      public String description() {
        return held.description();
      }

      @Override
      public Optional<SourceRecord> next() throws IOException {
        return held.next();
      }

      @Override
      public SourceRecord readAgain(SourceRecord planned) {
        return again.apply(planned);
      }
    };
  }

  /**
   * A readable record without its values: the same line, id, label and input digest, and a
   * datapoint with no values; an unreadable record as it is.
   */
  static SourceRecord light(SourceRecord r) {
    if (!r.readable() || r.datapoint().get().values().isEmpty()) {
      return r;
    }
    Datapoint d = r.datapoint().get();
    return new SourceRecord(
        r.line(),
        Optional.of(new Datapoint(d.id(), Map.of(), d.label())),
        Optional.empty(),
        r.inputDigest());
  }

  /** Whether {@code r} is readable and holds no values ({@link #light}). */
  static boolean isLight(SourceRecord r) {
    return r.readable() && r.datapoint().get().values().isEmpty();
  }

  /**
   * What a record that cannot be read again becomes: unreadable, naming the record, its line and
   * why (said in words by the source).
   */
  static SourceRecord changed(SourceRecord planned, String why) {
    String id = planned.id().orElse("?");
    return SourceRecord.unreadable(
        new RecordError(
            planned.id(),
            planned.line(),
            "read",
            "record '" + id + "': " + why + "; a rerun explains it as it is now"));
  }

  /**
   * {@code planned} read again by {@code source} when it is a light record of a rereadable source,
   * else as it is; an I/O failure becomes an unreadable record.
   */
  static SourceRecord full(RecordSource source, SourceRecord planned) {
    if (!(source instanceof RereadableSource s) || !isLight(planned)) {
      return planned;
    }
    return s.readAgain(planned);
  }

  /** For implementations: an {@link IOException} of a second reading, as {@link #changed}. */
  static SourceRecord unreadableAgain(SourceRecord planned, IOException e) {
    return changed(
        planned,
        "could not be read again while the job ran: "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
  }
}
