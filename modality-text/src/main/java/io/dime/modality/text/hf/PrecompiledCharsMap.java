package io.dime.modality.text.hf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SentencePiece's precompiled normalisation rules ({@code precompiled_charsmap}, the {@code
 * Precompiled} normalizer of T5, ALBERT, XLM-R and other converted SentencePiece models): a
 * little-endian 32-bit size, a double-array trie of that many bytes over UTF-8 keys (the
 * darts-clone layout), then the replacement strings, each ended by a NUL byte.
 *
 * <p>As Hugging Face applies it: the text is cut into grapheme clusters; a cluster shorter than 6
 * UTF-8 bytes whose start matches a key is replaced whole by that key's replacement; otherwise each
 * code point of the cluster is looked up alone and replaced when it matches, else kept.
 */
final class PrecompiledCharsMap {
  private static final Pattern GRAPHEME = Pattern.compile("\\X");

  private final int[] units;
  private final byte[] normalized;

  PrecompiledCharsMap(byte[] blob) {
    if (blob.length < 4) {
      throw new IllegalArgumentException("precompiled_charsmap is " + blob.length + " bytes");
    }
    ByteBuffer buf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    long trieBytes = buf.getInt() & 0xFFFFFFFFL;
    if (trieBytes % 4 != 0 || trieBytes > blob.length - 4L || trieBytes == 0) {
      throw new IllegalArgumentException(
          "precompiled_charsmap: trie of " + trieBytes + " bytes in a blob of " + blob.length);
    }
    units = new int[(int) (trieBytes / 4)];
    for (int i = 0; i < units.length; i++) {
      units[i] = buf.getInt();
    }
    normalized = new byte[blob.length - 4 - (int) trieBytes];
    buf.get(normalized);
  }

  /** The replacement of the shortest key that starts {@code chunk}, or null. */
  private String transform(String chunk) {
    byte[] key = chunk.getBytes(StandardCharsets.UTF_8);
    int value = firstPrefixValue(key);
    if (value < 0) {
      return null;
    }
    if (value >= normalized.length) {
      throw new IllegalArgumentException("precompiled_charsmap: replacement offset out of range");
    }
    int end = value;
    while (end < normalized.length && normalized[end] != 0) {
      end++;
    }
    return new String(normalized, value, end - value, StandardCharsets.UTF_8);
  }

  /** Darts-clone common-prefix search, stopping at the first (shortest) key found. */
  private int firstPrefixValue(byte[] key) {
    int pos = 0;
    int unit = unit(pos);
    pos ^= offset(unit);
    for (byte b : key) {
      int c = b & 0xFF;
      pos ^= c;
      if (pos < 0 || pos >= units.length) {
        return -1;
      }
      unit = units[pos];
      if (label(unit) != c) {
        return -1;
      }
      pos ^= offset(unit);
      if (hasLeaf(unit)) {
        return pos >= 0 && pos < units.length ? units[pos] & 0x7FFFFFFF : -1;
      }
    }
    return -1;
  }

  private int unit(int pos) {
    if (pos < 0 || pos >= units.length) {
      throw new IllegalArgumentException("precompiled_charsmap: trie is empty");
    }
    return units[pos];
  }

  private static boolean hasLeaf(int unit) {
    return ((unit >>> 8) & 1) == 1;
  }

  private static int label(int unit) {
    return unit & (0x80000000 | 0xFF);
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }

  /**
   * Appends the replacement of {@code s}'s chars {@code [begin, end)} as Hugging Face aligns it:
   * its i-th code point with the i-th code point replaced, any extra ones with the last of those.
   */
  private static void appendAligned(Aligned.Builder b, Aligned s, int begin, int end, String norm) {
    int at = begin;
    int prevBegin = s.originalBegin(begin, begin + 1);
    int prevEnd = s.originalEnd(begin, begin + 1);
    for (int i = 0; i < norm.length(); ) {
      int n = Character.charCount(norm.codePointAt(i));
      if (at < end) {
        int w = Character.charCount(s.text.codePointAt(at));
        prevBegin = s.originalBegin(at, at + w);
        prevEnd = s.originalEnd(at, at + w);
        at += w;
      }
      b.append(norm.substring(i, i + n), prevBegin, prevEnd);
      i += n;
    }
  }

  Aligned apply(Aligned s) {
    Aligned.Builder b = new Aligned.Builder(s.length());
    Matcher m = GRAPHEME.matcher(s.text);
    while (m.find()) {
      int gb = m.start();
      int ge = m.end();
      String grapheme = s.text.substring(gb, ge);
      if (grapheme.getBytes(StandardCharsets.UTF_8).length < 6) {
        String norm = transform(grapheme);
        if (norm != null) {
          appendAligned(b, s, gb, ge, norm);
          continue;
        }
      }
      for (int i = gb; i < ge; ) {
        int n = Character.charCount(s.text.codePointAt(i));
        String norm = transform(s.text.substring(i, i + n));
        if (norm == null) {
          b.copy(s, i, i + n);
        } else {
          b.append(norm, s.originalBegin(i, i + n), s.originalEnd(i, i + n));
        }
        i += n;
      }
    }
    return b.build();
  }
}
