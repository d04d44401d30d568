package io.dime.api.run;

import static java.util.Objects.requireNonNull;

import io.dime.api.Datapoint;
import io.dime.api.RecordError;
import java.util.Optional;

/**
 * One record of a data set as a {@link RecordSource} delivers it: a datapoint, or why it could not
 * be read.
 *
 * @param line the record's 1-based line in its manifest; 0 when it does not come from a file
 * @param datapoint the datapoint; empty when the record could not be read
 * @param error why the record could not be read; empty when it was
 * @param inputDigest a digest of everything the record's values were read from (its manifest line
 *     and the bytes of the files it names), when the source knows it: a job whose earlier
 *     explanation of the record has another digest explains the record again
 * @since 0.1
 */
public record SourceRecord(
    int line,
    Optional<Datapoint> datapoint,
    Optional<RecordError> error,
    Optional<String> inputDigest) {
  public SourceRecord {
    requireNonNull(datapoint, "datapoint is null");
    requireNonNull(error, "error is null");
    requireNonNull(inputDigest, "inputDigest is null");
    if (datapoint.isPresent() == error.isPresent()) {
      throw new IllegalArgumentException("a record has either a datapoint or an error, not both");
    }
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0, found " + line);
    }
  }

  /** A record that was read, without a digest of its inputs. */
  public static SourceRecord of(int line, Datapoint datapoint) {
    return new SourceRecord(line, Optional.of(datapoint), Optional.empty(), Optional.empty());
  }

  /** A record that was read, with the digest of its inputs. */
  public static SourceRecord of(int line, Datapoint datapoint, String inputDigest) {
    return new SourceRecord(
        line, Optional.of(datapoint), Optional.empty(), Optional.of(inputDigest));
  }

  /** A record that could not be read; the error carries the record's line. */
  public static SourceRecord unreadable(RecordError error) {
    return new SourceRecord(error.line(), Optional.empty(), Optional.of(error), Optional.empty());
  }

  /** Whether the record was read. */
  public boolean readable() {
    return datapoint.isPresent();
  }

  /** The record's id: the datapoint's, or the error's (empty when the id itself was unreadable). */
  public Optional<String> id() {
    return datapoint.isPresent() ? Optional.of(datapoint.get().id()) : error.get().id();
  }
}
