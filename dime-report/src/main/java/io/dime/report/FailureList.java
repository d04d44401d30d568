package io.dime.report;

import io.dime.api.RecordError;
import java.util.ArrayList;
import java.util.List;

/**
 * The failed records the summary lists, each with the link to its card: at most {@code limit} of
 * them, in the order they came, and the count of all. Messages longer than {@link #MAX_MESSAGE}
 * characters are cut in the list (the card shows the whole message), so that what is kept is
 * bounded.
 */
final class FailureList {
  /** The longest message kept whole, in chars. */
  static final int MAX_MESSAGE = 2000;

  /**
   * One listed failure: its card's link (null when it has no card), its name, stage and message, as
   * shown (not escaped).
   */
  record Entry(String href, String name, String stage, String message) {}

  private final int limit;
  private final List<Entry> entries = new ArrayList<>();
  private long total;
  private long heldChars;

  FailureList(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, found " + limit);
    }
    this.limit = limit;
  }

  /**
   * Counts one failed record, and lists it while fewer than the limit are listed.
   *
   * @param href the link to its card, made by the caller (a fragment or {@link Html#pageLink}), or
   *     null when it has no card
   */
  void add(RecordError err, String href) {
    total++;
    if (entries.size() < limit) {
      Entry e = new Entry(href, Cards.recordName(err), err.stage(), cut(err.message()));
      entries.add(e);
      heldChars += (href == null ? 0 : href.length()) + e.name().length() + e.stage().length();
      heldChars += e.message().length();
    }
  }

  private static String cut(String message) {
    if (message.length() <= MAX_MESSAGE) {
      return message;
    }
    int end = MAX_MESSAGE;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + "\u2026";
  }

  /** The listed failures, in the order they came. */
  List<Entry> entries() {
    return entries;
  }

  /** Every failure counted, listed or not. */
  long total() {
    return total;
  }

  /** The chars of the strings the list keeps. */
  long heldChars() {
    return heldChars;
  }
}
