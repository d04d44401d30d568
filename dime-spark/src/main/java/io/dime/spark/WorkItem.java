package io.dime.spark;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * One record to explain as it travels to an executor: where it sits in the job's source, and the
 * manifest line it is read from there.
 *
 * @param index the record's position in the source, 0-based
 * @param line the line's 1-based number in the manifest
 * @param text the manifest line (the record's JSON)
 */
record WorkItem(int index, int line, String text) implements Serializable {
  WorkItem {
    requireNonNull(text, "text is null");
  }
}
