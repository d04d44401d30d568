package io.dime.modality.text.hf;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A string with, for each of its UTF-16 chars, the range {@code [from, to)} of the original text it
 * came from: what normalizers change and pre-tokenizers cut, so that every token can be traced back
 * to the characters of the input that it covers. Immutable.
 */
final class Aligned {
  final String text;
  private final int[] from;
  private final int[] to;

  private Aligned(String text, int[] from, int[] to) {
    this.text = text;
    this.from = from;
    this.to = to;
  }

  /** {@code s} aligned one to one with the original text starting at {@code offset}. */
  static Aligned of(String s, int offset) {
    int n = s.length();
    int[] f = new int[n];
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      f[i] = offset + i;
      t[i] = offset + i + 1;
    }
    // a surrogate pair is one character of the original: both halves cover both
    for (int i = 0; i + 1 < n; i++) {
      if (Character.isHighSurrogate(s.charAt(i)) && Character.isLowSurrogate(s.charAt(i + 1))) {
        t[i] = t[i + 1];
        f[i + 1] = f[i];
        i++;
      }
    }
    return new Aligned(s, f, t);
  }

  int length() {
    return text.length();
  }

  boolean isEmpty() {
    return text.isEmpty();
  }

  /** Start in the original text of the chars {@code [begin, end)} of this string. */
  int originalBegin(int begin, int end) {
    int b = Integer.MAX_VALUE;
    for (int i = begin; i < end; i++) {
      b = Math.min(b, from[i]);
    }
    return b;
  }

  /** End in the original text of the chars {@code [begin, end)} of this string. */
  int originalEnd(int begin, int end) {
    int e = Integer.MIN_VALUE;
    for (int i = begin; i < end; i++) {
      e = Math.max(e, to[i]);
    }
    return e;
  }

  /** The original start of the whole string; -1 when empty. */
  int originalStart() {
    return from.length == 0 ? -1 : originalBegin(0, from.length);
  }

  Aligned slice(int begin, int end) {
    return new Aligned(
        text.substring(begin, end),
        Arrays.copyOfRange(from, begin, end),
        Arrays.copyOfRange(to, begin, end));
  }

  /**
   * Replaces each code point by {@code map.apply(codePoint)} (null keeps it; "" drops it); the
   * replacement covers what the code point covered.
   */
  Aligned mapCodePoints(IntFunction<String> map) {
    Builder b = new Builder(text.length());
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = Character.charCount(cp);
      String out = map.apply(cp);
      if (out == null) {
        b.copy(this, i, i + n);
      } else {
        b.append(out, originalBegin(i, i + n), originalEnd(i, i + n));
      }
      i += n;
    }
    return b.build();
  }

  /** Builds an aligned string piece by piece. */
  static final class Builder {
    private final StringBuilder sb;
    private int[] from;
    private int[] to;

    Builder(int capacity) {
      sb = new StringBuilder(capacity);
      from = new int[Math.max(8, capacity)];
      to = new int[Math.max(8, capacity)];
    }

    /** Appends {@code s}, every char of it covering {@code [f, t)} of the original. */
    void append(String s, int f, int t) {
      for (int i = 0; i < s.length(); i++) {
        add(s.charAt(i), f, t);
      }
    }

    /** Appends chars {@code [begin, end)} of {@code a} with their own alignment. */
    void copy(Aligned a, int begin, int end) {
      for (int i = begin; i < end; i++) {
        add(a.text.charAt(i), a.from[i], a.to[i]);
      }
    }

    private void add(char c, int f, int t) {
      int n = sb.length();
      if (n == from.length) {
        from = Arrays.copyOf(from, n * 2);
        to = Arrays.copyOf(to, n * 2);
      }
      sb.append(c);
      from[n] = f;
      to[n] = t;
    }

    Aligned build() {
      int n = sb.length();
      return new Aligned(sb.toString(), Arrays.copyOf(from, n), Arrays.copyOf(to, n));
    }
  }
}
