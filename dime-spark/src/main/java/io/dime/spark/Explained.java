package io.dime.spark;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * One record's result as it travels back to the driver.
 *
 * @param index the record's position in the source, 0-based
 * @param json the explanation or the error, as one line of {@code explanations.jsonl}
 */
record Explained(int index, String json) implements Serializable {
  Explained {
    requireNonNull(json, "json is null");
  }
}
