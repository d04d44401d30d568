package io.dime.modality.text;

import static java.util.Objects.requireNonNull;

/**
 * A stretch of a text: a word or a sentence, with its character offsets (UTF-16 indices, end
 * exclusive) in the text it came from.
 *
 * @param text the characters {@code [begin, end)} of the source text, as written there
 * @param begin offset of the first character
 * @param end offset after the last character
 */
record Span(String text, int begin, int end) {
  Span {
    requireNonNull(text, "text is null");
    if (begin < 0 || end <= begin || end - begin != text.length()) {
      throw new IllegalArgumentException(
          "bad span [" + begin + ", " + end + ") for '" + text + "'");
    }
  }
}
