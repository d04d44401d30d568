package io.dime.modality.text;

import static java.util.Objects.requireNonNull;

import io.dime.api.FeatureMap;
import io.dime.spi.FeatureSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The words or sentences of one text and the perturber that hides them. Immutable.
 *
 * <p>Write {@code gap(i)} for the text between the end of feature i - 1 (the start of the text for
 * i = 0) and the start of feature i, and {@code tail} for the text after the last feature.
 *
 * <ul>
 *   <li>{@code remove}: each kept feature is written as {@code gap(i)} followed by its own text,
 *       except that the first feature written drops its gap unless it is feature 0; then {@code
 *       tail}. A removed word thus takes the whitespace before it along, no kept word's spacing
 *       changes, the text never starts with the gap of a removed word, and the full mask gives the
 *       input back exactly. Hiding everything gives "" (not {@code tail}: a text ending in a
 *       newline would leave the model a newline token). One exception keeps kept words apart: when
 *       the features removed between two kept ones took all the text between them and the two touch
 *       with a letter, digit or combining mark ("the (red) hat" without "("), the first non-empty
 *       gap among the removed features' (else a space) is written between them: "the red) hat", not
 *       "thered) hat", which the encoder would read as another word.
 *   <li>{@code mask}: every feature is written as {@code gap(i)} followed by its text if kept or
 *       the mask string if hidden (one mask string per hidden feature, a whole sentence included);
 *       then {@code tail}. For the encoders other than {@code tokenizer-json}, a mask string that
 *       starts or ends with a letter, digit or combining mark ("unk", not "[MASK]") is written
 *       apart, with a space, from a letter, digit or mark it would touch: "man?" with "?" hidden by
 *       "unk" is "man unk", not "manunk", which the encoders read as another word (they find the
 *       mask string only where it does not run on into a word: {@link TextEncoder#units}).
 * </ul>
 */
final class TextFeatures implements FeatureSet<String> {
  private final String value;
  private final String unit;
  private final int[] begins;
  private final int[] ends;
  private final List<String> names;
  private final String maskToken;
  private final boolean maskApart;
  private final Map<String, Object> layout;
  private final FeatureMap.Spans map;
  private final int inModel;

  /**
   * @param value the featurized text
   * @param unit "words" or "sentences"
   * @param spans the features, in order, not overlapping, at least one
   * @param names one per feature
   * @param maskToken the mask string, or null to remove hidden features
   */
  TextFeatures(String value, String unit, List<Span> spans, List<String> names, String maskToken) {
    this(value, unit, spans, names, maskToken, spans.size(), false);
  }

  /**
   * @param inModel how many leading features reach the model when nothing is hidden; the encoder's
   *     truncation cuts the others
   * @param maskApart whether a mask string is written apart from a word it would run into (see the
   *     class comment)
   */
  TextFeatures(
      String value,
      String unit,
      List<Span> spans,
      List<String> names,
      String maskToken,
      int inModel,
      boolean maskApart) {
    this.value = requireNonNull(value, "value is null");
    this.unit = requireNonNull(unit, "unit is null");
    this.names = List.copyOf(names);
    this.maskToken = maskToken;
    this.maskApart = maskApart && maskToken != null;
    int d = spans.size();
    if (d == 0 || names.size() != d) {
      throw new IllegalArgumentException(d + " spans and " + names.size() + " names");
    }
    if (inModel < 0 || inModel > d) {
      throw new IllegalArgumentException(inModel + " features in the model of " + d);
    }
    this.inModel = inModel;
    this.begins = new int[d];
    this.ends = new int[d];
    List<Map<String, Object>> features = new ArrayList<>(d);
    int previousEnd = 0;
    for (int i = 0; i < d; i++) {
      Span s = spans.get(i);
      if (s.begin() < previousEnd || s.end() > value.length()) {
        throw new IllegalArgumentException("spans overlap or leave the text at " + s);
      }
      begins[i] = s.begin();
      ends[i] = s.end();
      previousEnd = s.end();
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("name", this.names.get(i));
      f.put("text", s.text());
      f.put("begin", s.begin());
      f.put("end", s.end());
      if (i >= inModel) {
        f.put("truncated", true);
      }
      features.add(Collections.unmodifiableMap(f));
    }
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("unit", unit);
    l.put("text", value);
    l.put("features", List.copyOf(features));
    l.put("featuresInModel", inModel);
    this.layout = Collections.unmodifiableMap(l);
    this.map = FeatureMap.Spans.ofChars(value, begins, ends);
  }

  @Override
  public String value() {
    return value;
  }

  @Override
  public int size() {
    return begins.length;
  }

  @Override
  public List<String> names() {
    return names;
  }

  /** "words" or "sentences". */
  String unit() {
    return unit;
  }

  /**
   * How many leading features reach the model when nothing is hidden; the encoder's truncation to
   * {@code maxLength} cuts the rest (all features when it cuts nothing).
   */
  int inModel() {
    return inModel;
  }

  /** Offset of feature i's first character. */
  int begin(int i) {
    return begins[i];
  }

  /** Offset after feature i's last character. */
  int end(int i) {
    return ends[i];
  }

  /** Feature i's text as written in the value. */
  String text(int i) {
    return value.substring(begins[i], ends[i]);
  }

  @Override
  public String apply(boolean[] keep) {
    requireNonNull(keep, "keep is null");
    int d = begins.length;
    if (keep.length != d) {
      throw new IllegalArgumentException(
          "mask of length " + keep.length + " for " + d + " features");
    }
    StringBuilder out = new StringBuilder(value.length() + 8);
    int last = -1; // the last feature written
    boolean afterMask = false;
    for (int i = 0; i < d; i++) {
      int gapStart = i == 0 ? 0 : ends[i - 1];
      if (keep[i]) {
        if (last >= 0 || i == 0) {
          out.append(value, gapStart, begins[i]);
          if (last >= 0 && last < i - 1 && gapStart == begins[i] && wouldJoin(last, i)) {
            out.append(separator(last, i));
          }
        }
        if (afterMask && runsInto(out, value.codePointAt(begins[i]))) {
          out.append(' ');
        }
        out.append(value, begins[i], ends[i]);
        last = i;
        afterMask = false;
      } else if (maskToken != null) {
        out.append(value, gapStart, begins[i]);
        if (maskApart && runsInto(out, maskToken.codePointAt(0))) {
          out.append(' ');
        }
        out.append(maskToken);
        last = i;
        afterMask = maskApart;
      }
    }
    if (last < 0) {
      return ""; // everything removed: the empty text, never the record's trailing blanks
    }
    out.append(value, ends[d - 1], value.length());
    return out.toString();
  }

  /**
   * Whether kept feature {@code j}, written right before kept feature {@code k} with nothing
   * between them, would run into it: both touch there with a letter, digit or combining mark.
   */
  private boolean wouldJoin(int j, int k) {
    int before = value.codePointBefore(ends[j]);
    int after = value.codePointAt(begins[k]);
    // scripts written without spaces join as written: a space there is text the record never had
    // (it was: "我喜欢猫。你呢" without "。" became "我喜欢猫 你呢")
    return wordChar(before)
        && wordChar(after)
        && !(unspaced(script(ends[j], begins[j])) && unspaced(script(begins[k], -1)));
  }

  /**
   * The script of the character before offset {@code end} (down to {@code floor}) or, with a floor
   * of -1, at offset {@code end}: a combining mark (script Inherited, a voicing mark of text in
   * NFD) is its base character's; the kana long-vowel marks (script Common) are kana's.
   */
  private Character.UnicodeScript script(int end, int floor) {
    int at = end;
    while (true) {
      int cp = floor < 0 ? value.codePointAt(at) : value.codePointBefore(at);
      Character.UnicodeScript s = Character.UnicodeScript.of(cp);
      if (cp == 0x30FC || cp == 0xFF70 || cp == 0xFF9E || cp == 0xFF9F) {
        return Character.UnicodeScript.KATAKANA;
      }
      if (s != Character.UnicodeScript.INHERITED) {
        return s;
      }
      at += floor < 0 ? Character.charCount(cp) : -Character.charCount(cp);
      if (floor < 0 ? at >= value.length() : at <= floor) {
        return s;
      }
    }
  }

  /** Whether the script is written without spaces between words. */
  private static boolean unspaced(Character.UnicodeScript script) {
    return switch (script) {
      case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR, TIBETAN, BOPOMOFO, YI -> true;
      default -> false;
    };
  }

  /**
   * Whether {@code next}, written right after {@code out}, would run into it: both are letters,
   * digits or combining marks where they touch.
   */
  private static boolean runsInto(StringBuilder out, int next) {
    return out.length() > 0 && wordChar(out.codePointBefore(out.length())) && wordChar(next);
  }

  /** A letter, digit or combining mark: a character that continues a word. */
  static boolean wordChar(int cp) {
    int type = Character.getType(cp);
    return Character.isLetterOrDigit(cp)
        || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /**
   * What keeps kept features {@code j} and {@code k} apart when the features between them are
   * removed: the first gap between them that is not empty, else a space.
   */
  private String separator(int j, int k) {
    for (int i = j + 1; i <= k; i++) {
      if (begins[i] > ends[i - 1]) {
        return value.substring(ends[i - 1], begins[i]);
      }
    }
    return " ";
  }

  /**
   * Plain data for views: {@code unit}, {@code text}, {@code features}, a list of {@code {name,
   * text, begin, end}} (character offsets, end exclusive; {@code truncated: true} added for a
   * feature the encoder cuts), and {@code featuresInModel}.
   */
  @Override
  public Map<String, Object> layout() {
    return layout;
  }

  /**
   * Each feature's [begin, end) in code points of the text (the layout's {@code begin} and {@code
   * end} count UTF-16 chars; the two differ only after a character outside the BMP).
   */
  @Override
  public Optional<FeatureMap> featureMap() {
    return Optional.of(map);
  }
}
