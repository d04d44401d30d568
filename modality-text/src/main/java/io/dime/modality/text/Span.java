package io.dime.modality.text;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * A stretch of a text: a word or a sentence, with its character offsets (UTF-16 indices, end
 * exclusive) in the text it came from.
 *
 * @param text the characters {@code [begin, end)} of the source text, as written there
 * @param begin offset of the first character
 * @param end offset after the last character
 */
record Span(String text, int begin, int end) {
  /**
   * The spans of {@code text} with every run of spans that overlap one of {@code units} (or one
   * another through them) made one span from the first one's begin to the last one's end.
   *
   * @param spans in order, not overlapping
   * @param units ranges {@code [begin, end)} in order, not overlapping
   */
  static List<Span> merge(String text, List<Span> spans, List<int[]> units) {
    if (units.isEmpty()) {
      return spans;
    }
    List<Span> out = new ArrayList<>(spans.size());
    int i = 0;
    while (i < spans.size()) {
      Span s = spans.get(i);
      int end = s.end();
      int j = i + 1;
      while (j < spans.size() && bridged(units, s.begin(), end, spans.get(j))) {
        end = spans.get(j).end();
        j++;
      }
      out.add(j == i + 1 ? s : new Span(text.substring(s.begin(), end), s.begin(), end));
      i = j;
    }
    return out;
  }

  /** Whether a unit overlaps both {@code [begin, end)} and {@code next}. */
  private static boolean bridged(List<int[]> units, int begin, int end, Span next) {
    for (int[] u : units) {
      if (u[0] < end && u[1] > begin && u[0] < next.end() && u[1] > next.begin()) {
        return true;
      }
    }
    return false;
  }

  Span {
    requireNonNull(text, "text is null");
    if (begin < 0 || end <= begin || end - begin != text.length()) {
      throw new IllegalArgumentException(
          "bad span [" + begin + ", " + end + ") for '" + text + "'");
    }
  }
}
