package io.dime.modality.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * BERT's text handling for one word: normalisation (lower case, accents stripped), the basic split
 * (whitespace, punctuation and CJK characters become separate pieces; control characters are
 * dropped) and greedy longest-match-first WordPiece with {@code ##} continuations. A piece longer
 * than {@link #MAX_CHARS_PER_WORD} code points, or one that cannot be covered by vocabulary
 * entries, becomes the unknown token as a whole (BERT's rule).
 */
final class WordPiece {
  /** BERT's {@code max_input_chars_per_word}. */
  static final int MAX_CHARS_PER_WORD = 100;

  private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{Mn}+");

  private WordPiece() {}

  /** Lower-cases (root locale) and strips accents (NFD, then combining marks removed). */
  static String normalize(String word, boolean lowercase, boolean stripAccents) {
    String s = lowercase ? word.toLowerCase(Locale.ROOT) : word;
    if (stripAccents) {
      String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
      s = COMBINING_MARKS.matcher(nfd).replaceAll("");
    }
    return s;
  }

  /** BERT's basic split of an already normalised word: whitespace, punctuation, CJK. */
  static List<String> basicSplit(String word) {
    List<String> out = new ArrayList<>(2);
    StringBuilder current = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
        continue;
      }
      if (isWhitespace(cp)) {
        flush(current, out);
      } else if (isPunctuation(cp) || isCjk(cp)) {
        flush(current, out);
        out.add(new String(Character.toChars(cp)));
      } else {
        current.appendCodePoint(cp);
      }
    }
    flush(current, out);
    return out;
  }

  private static void flush(StringBuilder current, List<String> out) {
    if (current.length() > 0) {
      out.add(current.toString());
      current.setLength(0);
    }
  }

  /**
   * Appends the WordPiece ids of one basic piece to {@code out}: the longest vocabulary entry that
   * starts the piece, then the longest {@code ##} entry that continues it, and so on; the unknown
   * id alone when the piece is too long or some rest cannot be matched.
   */
  static void pieces(String piece, Vocabulary vocab, int unkId, IdSink out) {
    if (piece.codePointCount(0, piece.length()) > MAX_CHARS_PER_WORD) {
      out.add(unkId);
      return;
    }
    int mark = out.size();
    int start = 0;
    while (start < piece.length()) {
      int end = piece.length();
      int found = -1;
      while (end > start) {
        String sub = piece.substring(start, end);
        found = vocab.id(start > 0 ? "##" + sub : sub);
        if (found >= 0) {
          break;
        }
        end = piece.offsetByCodePoints(end, -1);
      }
      if (found < 0) {
        out.truncate(mark);
        out.add(unkId);
        return;
      }
      out.add(found);
      start = end;
    }
  }

  // BERT's character classes (tokenization.py: _is_whitespace, _is_control, _is_punctuation,
  // _is_chinese_char).

  static boolean isWhitespace(int cp) {
    return cp == ' '
        || cp == '\t'
        || cp == '\n'
        || cp == '\r'
        || Character.getType(cp) == Character.SPACE_SEPARATOR;
  }

  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int t = Character.getType(cp);
    return t == Character.CONTROL || t == Character.FORMAT;
  }

  static boolean isPunctuation(int cp) {
    return io.dime.modality.text.hf.Chars.isPunctuation(cp);
  }

  static boolean isCjk(int cp) {
    return io.dime.modality.text.hf.Chars.isCjk(cp);
  }

  /** A growable list of ids with a capacity after which it reports full. */
  static final class IdSink {
    private long[] ids;
    private int size;

    IdSink(int initialCapacity) {
      ids = new long[Math.max(4, initialCapacity)];
    }

    void add(int id) {
      if (size == ids.length) {
        ids = java.util.Arrays.copyOf(ids, size * 2);
      }
      ids[size++] = id;
    }

    int size() {
      return size;
    }

    void truncate(int newSize) {
      size = newSize;
    }

    long get(int i) {
      return ids[i];
    }
  }
}
