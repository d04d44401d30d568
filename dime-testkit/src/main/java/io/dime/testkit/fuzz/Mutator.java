package io.dime.testkit.fuzz;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded mutator: each input is one of the seeds (real, valid inputs) with one to eight stacked
 * mutations, chosen by a {@link SplittableRandom}, so that the same random numbers give the same
 * input. The mutations: a flipped bit, a byte set to a value that matters to parsers, a truncation,
 * a deleted slice, random bytes inserted, a token of the dictionary inserted or written over the
 * input, a slice duplicated or repeated up to a thousand times (deep nesting), a 2- or 4-byte field
 * set to a boundary value (both byte orders), a digit run replaced by a huge number, and a splice
 * with another seed.
 *
 * <pre>{@code
 * Mutator m = new Mutator(List.of(validLine), Mutator.TEXT_TOKENS);
 * byte[] input = m.mutate(new SplittableRandom(42));
 * }</pre>
 */
public final class Mutator {
  /** The longest input made; a longer one is cut. */
  public static final int MAX_BYTES = 4 << 20;

  private final List<byte[]> seeds;
  private final List<byte[]> dictionary;

  /**
   * @param seeds the valid inputs mutations start from, at least one
   * @param dictionary tokens to insert (bytes as they are written); may be empty
   */
  public Mutator(List<byte[]> seeds, List<byte[]> dictionary) {
    if (requireNonNull(seeds, "seeds is null").isEmpty()) {
      throw new IllegalArgumentException("a mutator needs at least one seed");
    }
    this.seeds = seeds.stream().map(byte[]::clone).toList();
    this.dictionary = requireNonNull(dictionary, "dictionary is null").stream().toList();
  }

  /** The seeds, as given. */
  public List<byte[]> seeds() {
    return seeds.stream().map(byte[]::clone).toList();
  }

  /** One mutated input: a seed with 1 to 8 mutations. */
  public byte[] mutate(SplittableRandom rng) {
    byte[] b = seeds.get(rng.nextInt(seeds.size()));
    int n = 1;
    while (n < 8 && rng.nextBoolean()) {
      n++;
    }
    for (int i = 0; i < n; i++) {
      b = once(b, rng);
      if (b.length > MAX_BYTES) {
        b = Arrays.copyOf(b, MAX_BYTES);
      }
    }
    return b;
  }

  private byte[] once(byte[] b, SplittableRandom rng) {
    int op = rng.nextInt(dictionary.isEmpty() ? 10 : 12);
    if (b.length == 0 && op < 9) {
      return insert(b, 0, randomBytes(rng, 1 + rng.nextInt(8)));
    }
    return switch (op) {
      case 0 -> flipBit(b, rng);
      case 1 -> setByte(b, rng);
      case 2 -> Arrays.copyOf(b, rng.nextInt(b.length));
      case 3 -> delete(b, rng);
      case 4 -> insert(b, rng.nextInt(b.length + 1), randomBytes(rng, 1 + rng.nextInt(16)));
      case 5 -> duplicate(b, rng);
      case 6 -> repeat(b, rng);
      case 7 -> boundaryField(b, rng);
      case 8 -> hugeNumber(b, rng);
      case 9 -> splice(b, rng);
      case 10 -> insert(b, rng.nextInt(b.length + 1), token(rng));
      default -> overwrite(b, rng.nextInt(b.length + 1), token(rng));
    };
  }

  private byte[] token(SplittableRandom rng) {
    return dictionary.get(rng.nextInt(dictionary.size()));
  }

  private static byte[] flipBit(byte[] b, SplittableRandom rng) {
    byte[] out = b.clone();
    out[rng.nextInt(out.length)] ^= (byte) (1 << rng.nextInt(8));
    return out;
  }

  private static final byte[] SPECIAL_BYTES = {
    0,
    1,
    (byte) 0x7F,
    (byte) 0x80,
    (byte) 0xFF,
    (byte) 0xFE,
    '\n',
    '\r',
    '"',
    '\\',
    ',',
    ':',
    '{',
    '}',
    '[',
    ']',
    ' ',
    '#',
    '&',
    '*',
    '-',
    '.',
    '0',
    '9'
  };

  private static byte[] setByte(byte[] b, SplittableRandom rng) {
    byte[] out = b.clone();
    out[rng.nextInt(out.length)] = SPECIAL_BYTES[rng.nextInt(SPECIAL_BYTES.length)];
    return out;
  }

  private static byte[] delete(byte[] b, SplittableRandom rng) {
    int at = rng.nextInt(b.length);
    int n = 1 + rng.nextInt(Math.min(64, b.length - at));
    byte[] out = new byte[b.length - n];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(b, at + n, out, at, b.length - at - n);
    return out;
  }

  private static byte[] duplicate(byte[] b, SplittableRandom rng) {
    int from = rng.nextInt(b.length);
    int n = 1 + rng.nextInt(Math.min(256, b.length - from));
    return insert(b, rng.nextInt(b.length + 1), Arrays.copyOfRange(b, from, from + n));
  }

  /** A short slice repeated 2 to 1000 times in place: {@code [[[[...} from {@code [}. */
  private static byte[] repeat(byte[] b, SplittableRandom rng) {
    int from = rng.nextInt(b.length);
    int n = 1 + rng.nextInt(Math.min(8, b.length - from));
    int times = rng.nextBoolean() ? 2 + rng.nextInt(20) : 2 + rng.nextInt(1000);
    byte[] slice = Arrays.copyOfRange(b, from, from + n);
    ByteArrayOutputStream reps = new ByteArrayOutputStream(n * times);
    for (int i = 0; i < times; i++) {
      reps.writeBytes(slice);
    }
    return insert(b, from, reps.toByteArray());
  }

  private static final long[] BOUNDARIES = {
    0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 20000, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL
  };

  /** A 2- or 4-byte field set to a boundary value, big- or little-endian: header sizes. */
  private static byte[] boundaryField(byte[] b, SplittableRandom rng) {
    int width = rng.nextBoolean() ? 2 : 4;
    if (b.length < width) {
      return flipBit(b, rng);
    }
    byte[] out = b.clone();
    int at = rng.nextInt(b.length - width + 1);
    long v = BOUNDARIES[rng.nextInt(BOUNDARIES.length)];
    boolean big = rng.nextBoolean();
    for (int i = 0; i < width; i++) {
      int shift = 8 * (big ? width - 1 - i : i);
      out[at + i] = (byte) (v >>> shift);
    }
    return out;
  }

  private static final String[] HUGE = {
    "1e999",
    "-1e999",
    "1e-400",
    "99999999999999999999999999",
    "9".repeat(1200),
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "4294967296",
    "0." + "0".repeat(500) + "1",
    "NaN",
    "-0",
    "1E+2147483648"
  };

  /** A run of ASCII digits replaced by a huge or odd number (or a digit inserted if none). */
  private static byte[] hugeNumber(byte[] b, SplittableRandom rng) {
    List<int[]> runs = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      if (b[i] >= '0' && b[i] <= '9') {
        int j = i;
        while (j < b.length && b[j] >= '0' && b[j] <= '9') {
          j++;
        }
        runs.add(new int[] {i, j});
        i = j;
      }
    }
    byte[] number = HUGE[rng.nextInt(HUGE.length)].getBytes(StandardCharsets.US_ASCII);
    if (runs.isEmpty()) {
      return insert(b, rng.nextInt(b.length + 1), number);
    }
    int[] r = runs.get(rng.nextInt(runs.size()));
    byte[] out = new byte[b.length - (r[1] - r[0]) + number.length];
    System.arraycopy(b, 0, out, 0, r[0]);
    System.arraycopy(number, 0, out, r[0], number.length);
    System.arraycopy(b, r[1], out, r[0] + number.length, b.length - r[1]);
    return out;
  }

  private byte[] splice(byte[] b, SplittableRandom rng) {
    byte[] other = seeds.get(rng.nextInt(seeds.size()));
    int cut = rng.nextInt(b.length + 1);
    int from = rng.nextInt(other.length + 1);
    byte[] out = Arrays.copyOf(b, cut + other.length - from);
    System.arraycopy(other, from, out, cut, other.length - from);
    return out;
  }

  private static byte[] randomBytes(SplittableRandom rng, int n) {
    byte[] r = new byte[n];
    for (int i = 0; i < n; i++) {
      r[i] = (byte) rng.nextInt(256);
    }
    return r;
  }

  private static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  private static byte[] overwrite(byte[] b, int at, byte[] what) {
    byte[] out = Arrays.copyOf(b, Math.max(b.length, at + what.length));
    System.arraycopy(what, 0, out, at, what.length);
    return out;
  }

  /**
   * Tokens for text formats (JSON, YAML, CSV, paths): huge and odd numbers, deep nesting, odd
   * Unicode (right-to-left override, byte-order mark, NUL, line and paragraph separators, combining
   * marks, escaped lone surrogates), bytes that are not UTF-8 (overlong, CESU surrogates, beyond
   * U+10FFFF, cut sequences), line ends, quotes and separators, paths that leave their folder.
   */
  // (after HUGE: static fields are set in order)
  public static final List<byte[]> TEXT_TOKENS = textTokens();

  /** UTF-8 bytes of each string. */
  public static List<byte[]> utf8(String... tokens) {
    return Arrays.stream(tokens).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
  }

  /** UTF-16BE bytes of each string: for inputs fuzzed as Java strings (lone surrogates). */
  public static List<byte[]> utf16(List<String> tokens) {
    return tokens.stream().map(s -> s.getBytes(StandardCharsets.UTF_16BE)).toList();
  }

  /** Lists joined. */
  @SafeVarargs
  public static List<byte[]> join(List<byte[]>... lists) {
    List<byte[]> out = new ArrayList<>();
    for (List<byte[]> l : lists) {
      out.addAll(l);
    }
    return List.copyOf(out);
  }

  /** The text tokens as strings (unpaired surrogates included), for {@link #utf16}. */
  public static List<String> oddStrings() {
    return List.of(
        "\u202E", // right-to-left override
        "\uFEFF", // byte-order mark, zero-width no-break space
        "\u0000",
        "\u0085",
        "\u2028",
        "\u2029",
        "\u0301".repeat(64),
        "\uD83D\uDE00",
        "\uD800", // unpaired high surrogate
        "\uDC00", // unpaired low surrogate
        "\uDC00\uD800",
        "\uFFFF",
        "\uFFFD",
        "\r\n",
        "\r",
        "\t",
        "\u000B\u000C",
        "\u00A0",
        "\u3000",
        "\u0627\u0644\u0639\u0631\u0628\u064A\u0629",
        "\u6F22\u5B57",
        "e\u0301",
        "-LRB-",
        "...",
        "``",
        "'s",
        "n't",
        "http://example.com/a?b=c",
        "a@b.com",
        ":-)",
        "a".repeat(300));
  }

  private static List<byte[]> textTokens() {
    List<byte[]> t = new ArrayList<>();
    for (String s : HUGE) {
      t.add(s.getBytes(StandardCharsets.US_ASCII));
    }
    t.addAll(
        utf8(
            "-1e999",
            "1.7976931348623157e308",
            "4.9e-324",
            "0x10",
            "+1",
            ".5",
            "5.",
            "1e",
            "--1",
            "00",
            "Infinity",
            "-Infinity",
            "inf",
            "nan",
            "\"",
            "\\",
            "'",
            ",",
            ":",
            "[",
            "]",
            "{",
            "}",
            "null",
            "true",
            "{}",
            "[]",
            "\"\"",
            "\"id\":",
            "\"label\":",
            "[".repeat(3000),
            "{\"a\":".repeat(2000),
            "[[[[[[[[[[",
            "]]]]]]]]]]",
            "\\u0000",
            "\\ud800",
            "\\udfff",
            "\\ud83d\\ude00",
            "\\udc00\\ud800",
            "\\uZZZZ",
            "\r\n",
            "\r",
            "\n",
            "\t",
            "\n\n",
            "../",
            "../../../../etc/passwd",
            "/etc/passwd",
            "/",
            "..",
            "\\",
            "C:\\x",
            "%2e%2e%2f",
            "a/".repeat(300),
            "~/x",
            "file:///etc/passwd",
            "x".repeat(70000),
            "data:image/png;base64,"));
    t.addAll(utf8(oddStrings().stream().filter(Fuzz::wellFormed).toArray(String[]::new)));
    t.addAll(rawTokens());
    return List.copyOf(t);
  }

  /** Bytes that are not UTF-8, and a byte-order mark. */
  private static List<byte[]> rawTokens() {
    List<byte[]> t = new ArrayList<>();
    int[][] raw = {
      {0x00},
      {0xEF, 0xBB, 0xBF}, // byte-order mark
      {0xC0, 0x80}, // overlong NUL
      {0xED, 0xA0, 0x80}, // a surrogate in CESU-8
      {0xF4, 0x90, 0x80, 0x80}, // beyond U+10FFFF
      {0xFF},
      {0xFE, 0xFF},
      {0x80},
      {0xE2, 0x82}, // a cut sequence
      {0xF0, 0x9F, 0x98} // a cut emoji
    };
    for (int[] r : raw) {
      byte[] b = new byte[r.length];
      for (int i = 0; i < r.length; i++) {
        b[i] = (byte) r[i];
      }
      t.add(b);
    }
    return t;
  }
}
