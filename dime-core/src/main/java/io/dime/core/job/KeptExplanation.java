package io.dime.core.job;

import static java.util.Objects.requireNonNull;

import io.dime.api.Explanation;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An explanation an earlier run left, as a job plans with it: its record's id and input digest
 * (enough to decide whether it is kept), and the explanation itself read only when it is delivered.
 * So a resumed job holds a few numbers per kept record, not every kept explanation (a 20,000-record
 * resume held them all: three times a fresh run's memory).
 *
 * @param id the explained record's id
 * @param inputDigest the digest of the inputs it was made from ({@code Provenance#inputDigest})
 * @param reader reads the explanation (each call may read it again)
 */
public record KeptExplanation(
    String id, Optional<String> inputDigest, Supplier<Explanation> reader) {
  /** Checks the parts. */
  public KeptExplanation {
    requireNonNull(id, "id is null");
    requireNonNull(inputDigest, "inputDigest is null");
    requireNonNull(reader, "reader is null");
  }

  /** One held in memory. */
  public static KeptExplanation of(Explanation e) {
    requireNonNull(e, "explanation is null");
    return new KeptExplanation(e.id(), e.provenance().inputDigest(), () -> e);
  }

  /**
   * The explanation.
   *
   * @throws java.io.UncheckedIOException when it can no longer be read
   */
  public Explanation read() {
    return reader.get();
  }
}
