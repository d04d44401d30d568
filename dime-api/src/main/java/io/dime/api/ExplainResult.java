package io.dime.api;

import java.util.Optional;

/**
 * The outcome for one datapoint: an {@link Explanation} or a {@link RecordError}.
 *
 * @since 0.1
 */
public sealed interface ExplainResult permits Explanation, RecordError {
  /**
   * The datapoint's id; empty only for a {@link RecordError} of a manifest line whose id could not
   * be read.
   */
  Optional<String> recordId();
}
