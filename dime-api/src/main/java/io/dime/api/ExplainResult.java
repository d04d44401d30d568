package io.dime.api;

/** The outcome for one datapoint: an {@link Explanation} or a {@link RecordError}. */
public sealed interface ExplainResult permits Explanation, RecordError {
  /** The datapoint id. */
  String id();
}
