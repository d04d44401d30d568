package io.dime.api;

import java.util.ArrayList;
import java.util.List;

/**
 * One functional-ANOVA component g_S: a subset S of the k modalities, as a bit set over modality
 * indices (bit i set means modality i, 0-based, is in S). The empty term is the bias g_E.
 *
 * <p>Keys are 1-based and stable in JSON: {@code "gE"} for the bias, {@code "g1"}, {@code "g12"},
 * {@code "g123"}; with ten or more modalities the indices are joined with underscores ({@code
 * "g1_10"}).
 *
 * @param bits the subset; bit i is modality i (0-based)
 * @since 0.1
 */
public record Term(long bits) implements Comparable<Term> {
  /** The empty set: the bias term g_E. */
  public static final Term EMPTY = new Term(0L);

  public Term {
    if (bits < 0) {
      throw new IllegalArgumentException("at most 63 modalities are supported");
    }
  }

  /** The term of one modality (0-based index). */
  public static Term of(int... modalities) {
    long b = 0;
    for (int m : modalities) {
      if (m < 0 || m > 62) {
        throw new IllegalArgumentException("modality index out of range: " + m);
      }
      b |= 1L << m;
    }
    return new Term(b);
  }

  /** Number of modalities in the term: 0 for the bias, 1 for a unimodal term, 2 for a pair. */
  public int order() {
    return Long.bitCount(bits);
  }

  public boolean contains(int modality) {
    return (bits & (1L << modality)) != 0;
  }

  /** True when every modality of this term is in {@code other}. */
  public boolean isSubsetOf(Term other) {
    return (bits & ~other.bits) == 0;
  }

  /** The 0-based modality indices, ascending. */
  public List<Integer> modalities() {
    List<Integer> out = new ArrayList<>();
    for (long b = bits; b != 0; b &= b - 1) {
      out.add(Long.numberOfTrailingZeros(b));
    }
    return out;
  }

  /** Stable JSON key, 1-based: gE, g1, g12, g1_10. */
  public String key() {
    if (bits == 0) {
      return "gE";
    }
    List<Integer> ms = modalities();
    boolean wide = ms.get(ms.size() - 1) >= 9;
    StringBuilder sb = new StringBuilder("g");
    for (int i = 0; i < ms.size(); i++) {
      if (wide && i > 0) {
        sb.append('_');
      }
      sb.append(ms.get(i) + 1);
    }
    return sb.toString();
  }

  /**
   * The term of a JSON key, the inverse of {@link #key()}: "gE" is the bias, "g12" modalities 1 and
   * 2 (1-based), "g1_10" modalities 1 and 10. The one place that reads term keys.
   *
   * @param key a term key, not null
   * @return the term, or empty when {@code key} is not a term key (such as "UC", "MI", "LIME",
   *     "residual")
   */
  public static java.util.Optional<Term> parse(String key) {
    java.util.Objects.requireNonNull(key, "key is null");
    if (key.equals("gE")) {
      return java.util.Optional.of(EMPTY);
    }
    if (key.length() < 2 || key.charAt(0) != 'g') {
      return java.util.Optional.empty();
    }
    String body = key.substring(1);
    List<Integer> indices = new ArrayList<>();
    if (body.indexOf('_') >= 0) {
      for (String part : body.split("_", -1)) {
        if (!part.matches("[1-9][0-9]?")) {
          return java.util.Optional.empty();
        }
        indices.add(Integer.parseInt(part));
      }
    } else {
      for (char c : body.toCharArray()) {
        if (c < '1' || c > '9') {
          return java.util.Optional.empty();
        }
        indices.add(c - '0');
      }
    }
    long bits = 0;
    for (int i = 0; i < indices.size(); i++) {
      int m = indices.get(i);
      if (m > 63 || (i > 0 && m <= indices.get(i - 1))) {
        return java.util.Optional.empty(); // out of range, not ascending, or repeated
      }
      bits |= 1L << (m - 1);
    }
    Term t = new Term(bits);
    // Only the canonical spelling: "g1_2" is not a key (it is written "g12").
    return t.key().equals(key) ? java.util.Optional.of(t) : java.util.Optional.empty();
  }

  /** Human label with modality names: "bias", "image", "image x text". */
  public String label(List<String> modalityNames) {
    if (bits == 0) {
      return "bias";
    }
    StringBuilder sb = new StringBuilder();
    for (int m : modalities()) {
      if (sb.length() > 0) {
        sb.append(" x ");
      }
      sb.append(modalityNames.get(m));
    }
    return sb.toString();
  }

  /**
   * All 2^k subsets of k modalities, in {@link #compareTo} order: by order, then by their modality
   * indices compared in turn ({@code gE, g1, ..., g4, g12, g13, g14, g23, g24, g34, g123, ...}),
   * which is not the order of their bits once k is 4 or more (g23's bits are below g14's).
   */
  public static List<Term> all(int k) {
    if (k < 0 || k > 20) {
      throw new IllegalArgumentException("k out of range: " + k);
    }
    List<Term> out = new ArrayList<>();
    for (long b = 0; b < (1L << k); b++) {
      out.add(new Term(b));
    }
    out.sort(null);
    return out;
  }

  @Override
  public int compareTo(Term o) {
    int c = Integer.compare(order(), o.order());
    if (c != 0) {
      return c;
    }
    // Lexicographic on the ascending index list: g12 < g13 < g23.
    return Long.compareUnsigned(Long.reverse(o.bits), Long.reverse(bits));
  }

  @Override
  public String toString() {
    return key();
  }
}
