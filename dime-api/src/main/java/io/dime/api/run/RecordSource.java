package io.dime.api.run;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Where an explanation job's records come from: a JSONL manifest, a list built in code, a Spark
 * partition. Read once, in order, by one thread. A record that cannot be read is delivered as an
 * unreadable {@link SourceRecord} naming it and the problem, never thrown: the job goes on with the
 * others.
 *
 * @since 0.1
 */
public interface RecordSource extends AutoCloseable {
  /** Where the records come from, for messages and the summary ("data.jsonl"). */
  String description();

  /**
   * The next record, or empty after the last.
   *
   * @throws IOException when the source itself cannot be read any further (not a bad record)
   */
  Optional<SourceRecord> next() throws IOException;

  @Override
  default void close() throws IOException {}

  /** The given records, in order. */
  static RecordSource of(String description, List<SourceRecord> records) {
    requireNonNull(description, "description is null");
    Iterator<SourceRecord> it = List.copyOf(records).iterator();
    return new RecordSource() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public Optional<SourceRecord> next() {
        return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
      }
    };
  }
}
